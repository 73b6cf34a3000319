/** The doors between the layers (eslint.config.js): the client imports no server code; lower layers no HTTP. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
const restricted = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('layering', () => {
  it('refuses a client → server import', async () => {
    const code =
      "import { MinutesCloseCode } from '../../../server/minutes/index.ts';\nexport { MinutesCloseCode };\n";
    expect(await restricted('client/surfaces/minutes/probe.ts', code)).toEqual([
      expect.stringContaining('client/ may not import server/'),
    ]);
    const shared =
      "import { MinutesCloseCode } from '../../../shared/minutes/closeCodes.ts';\nexport { MinutesCloseCode };\n";
    expect(await restricted('client/surfaces/minutes/probe.ts', shared)).toEqual([]);
  });

  it('refuses an import of the HTTP adapter below it', async () => {
    const code = "import { apiRouter } from '../http/api.ts';\nexport { apiRouter };\n";
    expect(await restricted('server/ward/probe.ts', code)).toEqual([
      expect.stringContaining('only server/http'),
    ]);
    expect(await restricted('server/app.ts', code.replace('../http', './http'))).toEqual([]);
  });
});
