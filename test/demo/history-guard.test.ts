// The demo clears <out>/history on every run; `--out ~` must never delete someone's ~/history.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_MARKER, demoCli, prepareHistoryDir, UnsafeHistoryDirError } from '../../scripts/demo';

let tmp: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'number-audit-guard-'));
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('prepareHistoryDir', () => {
  it('creates a missing folder with the marker in it', async () => {
    const dir = join(tmp, 'history');
    await prepareHistoryDir(dir);
    expect(await readdir(dir)).toEqual([DEMO_MARKER]);
  });

  it('takes an empty folder', async () => {
    const dir = join(tmp, 'history');
    await mkdir(dir);
    await prepareHistoryDir(dir);
    expect(await readdir(dir)).toEqual([DEMO_MARKER]);
  });

  it("clears a folder it made before: last run's files go, the marker stays", async () => {
    const dir = join(tmp, 'history');
    await prepareHistoryDir(dir);
    await mkdir(join(dir, 'reports', 'acme'), { recursive: true });
    await writeFile(join(dir, 'reports', 'acme', 'snapshot.json'), '{}');
    await prepareHistoryDir(dir);
    expect(await readdir(dir)).toEqual([DEMO_MARKER]);
  });

  it('refuses a non-empty folder without the marker and leaves it as it was', async () => {
    const dir = join(tmp, 'history');
    await mkdir(join(dir, 'taxes'), { recursive: true });
    await writeFile(join(dir, 'taxes', '2025.pdf'), 'mine');
    await expect(prepareHistoryDir(dir)).rejects.toThrow(UnsafeHistoryDirError);
    await expect(prepareHistoryDir(dir)).rejects.toThrow(`no ${DEMO_MARKER} file in it`);
    expect(await readFile(join(dir, 'taxes', '2025.pdf'), 'utf8')).toBe('mine');
  });

  it("clears an unmarked history only when told it is the demo's own out/ folder", async () => {
    const dir = join(tmp, 'history');
    await mkdir(join(dir, 'reports'), { recursive: true });
    await prepareHistoryDir(dir, { trustUnmarked: true });
    expect(await readdir(dir)).toEqual([DEMO_MARKER]);
  });

  it('refuses a file where the folder should be', async () => {
    await writeFile(join(tmp, 'history'), 'notes');
    await expect(prepareHistoryDir(join(tmp, 'history'))).rejects.toThrow(UnsafeHistoryDirError);
    expect(await readFile(join(tmp, 'history'), 'utf8')).toBe('notes');
  });
});

describe('npm run demo -- --out DIR', () => {
  it("exits 2 with a clear message when DIR/history is not the demo's, touching nothing", async () => {
    await mkdir(join(tmp, 'history'));
    await writeFile(join(tmp, 'history', 'diary.txt'), 'dear diary');
    const out: string[] = [];
    const err: string[] = [];
    const code = await demoCli(['--out', tmp], {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      isTTY: false,
    });
    expect(code).toBe(2);
    expect(err.join('')).toBe(
      `demo: ${join(tmp, 'history')} was not created by the demo (no ${DEMO_MARKER} file in it), so the demo will not clear it. ` +
        'Choose another --out DIR, or remove that folder yourself.\n',
    );
    expect(out).toEqual([]);
    expect(await readdir(tmp)).toEqual(['history']);
    expect(await readdir(join(tmp, 'history'))).toEqual(['diary.txt']);
  });

  it('exits 2 on an unknown flag', async () => {
    const err: string[] = [];
    expect(await demoCli(['--bogus'], { stdout: () => undefined, stderr: (t) => err.push(t), isTTY: false })).toBe(2);
    expect(err.join('')).toMatch(/^demo: .*--bogus.*\(usage: npm run demo/);
  });
});
