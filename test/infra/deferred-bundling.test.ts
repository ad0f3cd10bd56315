// The function's second file (run-handler.js) is built by the after-bundling hook in synth's own
// process. CDK calls that hook twice: for the Docker command it never runs (outputDir /asset-output)
// and for the local bundling it does. Only the local call may write anything.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AssetStaging } from 'aws-cdk-lib';
import { DOCKER_BUNDLING_UNSUPPORTED, deferredBundling, RUN_HANDLER_ENTRY } from '../../lib/audit-function';

describe('deferredBundling', () => {
  it('builds run-handler.js and its map into the local bundling folder', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'deferred-'));
    try {
      expect(deferredBundling(RUN_HANDLER_ENTRY, out, [])).toEqual([]);
      expect(fs.readdirSync(out).sort()).toEqual(['run-handler.js', 'run-handler.js.map']);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("writes nothing for CDK's Docker command, and makes that command fail loudly", () => {
    const target = path.join(AssetStaging.BUNDLING_OUTPUT_DIR, 'run-handler.js');
    // Before the fix, this call built into /asset-output on the host (as root it succeeded).
    expect(deferredBundling(RUN_HANDLER_ENTRY, AssetStaging.BUNDLING_OUTPUT_DIR, [])).toEqual([
      DOCKER_BUNDLING_UNSUPPORTED,
    ]);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('does nothing for a function without a deferred module', () => {
    expect(deferredBundling(undefined, AssetStaging.BUNDLING_OUTPUT_DIR, [])).toEqual([]);
  });
});
