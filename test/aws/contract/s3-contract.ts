// What the history store relies on from S3, written once and run against both the stand-in
// (test/infra/fixtures/s3-local.ts, in `npm test`) and moto (in `npm run test:aws`).
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface S3Subject {
  /** A client pointed at the subject, and a bucket on it that exists and is empty. */
  client: S3Client;
  bucket: string;
}

interface AwsError {
  name: string;
  $metadata: { httpStatusCode?: number };
}

async function failure(p: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    return { name: (e as AwsError).name, status: (e as AwsError).$metadata?.httpStatusCode };
  }
  throw new Error('the request succeeded; the contract expects it to fail');
}

export function describeS3Contract(name: string, subject: () => S3Subject): void {
  describe(`S3 contract: ${name}`, () => {
    let n = 0;
    // A fresh key per case, under the archive's own layout.
    const key = () => `reports/acme-prod/2026/11/30/run-${++n}/audit.json`;
    const put = (Key: string, Body: string, extra: { IfNoneMatch?: string; IfMatch?: string } = {}) =>
      subject().client.send(
        new PutObjectCommand({ Bucket: subject().bucket, Key, Body, ContentType: 'application/json', ...extra }),
      );
    const get = async (Key: string) => {
      const out = await subject().client.send(new GetObjectCommand({ Bucket: subject().bucket, Key }));
      return { body: await out.Body?.transformToString('utf-8'), etag: out.ETag };
    };

    it('a put answers a quoted ETag; a get returns the same bytes and the same ETag', async () => {
      const k = key();
      const put1 = await put(k, '{"a":"ü"}');
      expect(put1.ETag).toMatch(/^"[^"]+"$/);
      expect(await get(k)).toEqual({ body: '{"a":"ü"}', etag: put1.ETag });
    });

    it('the ETag changes with the content and not without it', async () => {
      const [a, b] = [key(), key()];
      const first = await put(a, 'one');
      expect((await put(b, 'one')).ETag).toBe(first.ETag);
      expect((await put(a, 'two')).ETag).not.toBe(first.ETag);
    });

    it('an unconditional put overwrites', async () => {
      const k = key();
      await put(k, 'one');
      await put(k, 'two');
      expect((await get(k)).body).toBe('two');
    });

    it('a missing key reads as 404 NoSuchKey', async () => {
      expect(await failure(get(key()))).toEqual({ name: 'NoSuchKey', status: 404 });
    });

    it('If-None-Match: * creates a missing key, and answers 412 once it exists, leaving it as it was', async () => {
      const k = key();
      await put(k, 'first', { IfNoneMatch: '*' });
      expect(await failure(put(k, 'second', { IfNoneMatch: '*' }))).toEqual({
        name: 'PreconditionFailed',
        status: 412,
      });
      expect((await get(k)).body).toBe('first');
    });

    it("If-Match with the object's ETag replaces it; with another ETag answers 412 and leaves it", async () => {
      const k = key();
      const { ETag } = await put(k, 'v1');
      const v2 = await put(k, 'v2', { IfMatch: ETag });
      expect(v2.ETag).not.toBe(ETag);
      expect(await failure(put(k, 'v3', { IfMatch: ETag }))).toEqual({ name: 'PreconditionFailed', status: 412 });
      expect(await get(k)).toEqual({ body: 'v2', etag: v2.ETag });
    });

    it('If-Match on a missing key answers 404 NoSuchKey', async () => {
      expect(await failure(put(key(), 'x', { IfMatch: '"0123456789abcdef0123456789abcdef"' }))).toEqual({
        name: 'NoSuchKey',
        status: 404,
      });
    });

    it('keys keep their slashes, spaces and non-ASCII characters', async () => {
      const k = 'latest/Acme prod + ü/snapshot.json';
      await put(k, 'layout');
      expect((await get(k)).body).toBe('layout');
      expect(await failure(get('latest/Acme prod + ü'))).toEqual({ name: 'NoSuchKey', status: 404 });
    });

    it('another bucket is NoSuchBucket, not a missing key', async () => {
      const out = subject().client.send(new GetObjectCommand({ Bucket: `${subject().bucket}-other`, Key: key() }));
      expect(await failure(out)).toEqual({ name: 'NoSuchBucket', status: 404 });
    });
  });
}
