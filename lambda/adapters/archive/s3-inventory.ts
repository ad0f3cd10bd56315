// The internal inventory in AWS: inventory/<workspace-slug>.csv in the history bucket, read when
// present. Its size is checked before its body is read.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { assertInventorySize, type Inventory, parseInventory } from '../../core/inventory';
import type { InventorySource } from '../../core/ports';
import { inventoryKey } from './layout';
import { ArchiveError, isNotFound } from './s3-archive';

export class S3InventorySource implements InventorySource {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async read(workspace: string): Promise<Inventory | null> {
    const key = inventoryKey(workspace);
    let body: Uint8Array;
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      try {
        assertInventorySize(out.ContentLength ?? 0);
      } catch (error) {
        (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
        throw error;
      }
      body = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (e) {
      if (isNotFound(e)) return null;
      if (e instanceof Error && !('$metadata' in e)) throw e;
      const name = (e as { name?: string }).name ?? 'Error';
      throw new ArchiveError(`could not read s3://${this.bucket}/${key}: ${name}`, { cause: e });
    }
    return parseInventory(Buffer.from(body));
  }
}
