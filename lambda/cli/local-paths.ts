// --out and --history are checked before the listing: a folder that cannot be made or written
// must not cost a full listing first. Folders are made one level at a time, never with a recursive
// mkdir, which loops forever on file systems like /proc that answer ENOENT for a parent that exists.
import { randomUUID } from 'node:crypto';
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../core/errors';

/** Makes `dir` (and any missing parents) and proves a file can be written in it; ConfigError naming `flag` if not. */
export async function prepareWritableDir(flag: string, dir: string): Promise<string> {
  const root = resolve(dir);
  const fix = `give a folder you can write, e.g. ${flag} ./number-audit-out`;
  const missing: string[] = [];
  let existing = root;
  for (;;) {
    const found = await kindOf(existing);
    if (found === 'dir') break;
    if (found !== 'none') {
      const what = existing === root ? `${root} ${found}` : `${existing} ${found}, so ${root} cannot be made`;
      throw new ConfigError(flag, `${what}; ${fix}`);
    }
    missing.unshift(existing);
    const parent = dirname(existing);
    // The root of the file system always exists; reaching it without a folder means nothing can be made.
    if (parent === existing) throw new ConfigError(flag, `cannot make ${root}; ${fix}`);
    existing = parent;
  }
  for (const folder of missing) {
    try {
      await mkdir(folder);
    } catch (error) {
      // Made meanwhile by someone else: fine.
      if (codeOf(error) === 'EEXIST' && (await kindOf(folder)) === 'dir') continue;
      throw new ConfigError(flag, `cannot make ${folder} (${codeOf(error)}); ${fix}`);
    }
  }
  await probeWrite(flag, root, fix);
  return root;
}

/** access(2) says yes to root on read-only mounts' folders and to /proc; only a real file tells. */
async function probeWrite(flag: string, dir: string, fix: string): Promise<void> {
  const probe = join(dir, `.number-audit-write-check-${randomUUID()}`);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
  } catch (error) {
    throw new ConfigError(flag, `cannot write in ${dir} (${codeOf(error)}); ${fix}`);
  }
  await unlink(probe).catch(() => undefined);
}

/** 'dir', 'none', or why the path can hold no folder. */
async function kindOf(path: string): Promise<string> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'is not a folder';
  } catch (error) {
    const code = codeOf(error);
    // ENOTDIR: a parent is a file; that parent is found and named on the way up.
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'none' : `cannot be read (${code})`;
  }
}

function codeOf(error: unknown): string {
  return (error as { code?: string } | null)?.code ?? 'unknown error';
}
