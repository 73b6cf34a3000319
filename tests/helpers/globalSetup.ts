import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

/** The e2e tests serve the built client; build it once if it is missing (npm install normally builds it). */
export default function setup(): void {
  if (process.env.SKIP_CLIENT_BUILD) return;
  if (!existsSync('dist/client/index.html')) execSync('npx vite build', { stdio: 'inherit' });
}
