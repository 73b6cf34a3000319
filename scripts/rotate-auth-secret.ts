/**
 * `npm run rotate-secret`: a new token-signing key in the store, for installs that do not set AUTH_SECRET. Reads the
 * same environment as `npm start` (DATA_DIR, or REDIS_URL in scale-out). Restart every node afterwards: every token
 * signed before — staff sign-ins, phones, screen links — is refused from then on. See docs/security.md.
 */
import { rotateStoredAuthSecret } from '../server/auth/authSecret.ts';
import { loadConfig } from '../server/config.ts';
import { openStore } from '../server/store/open.ts';

const config = loadConfig();
if (config.authSecret) {
  console.error(
    'AUTH_SECRET is set: change it in the environment of every node and restart them all instead.',
  );
  process.exit(1);
}
const store = await openStore(config, (err) => console.error(err));
try {
  await rotateStoredAuthSecret(store.docs);
  console.log(
    `A new token-signing key is stored (${config.redisUrl ? 'Redis' : config.dataDir}). Restart every node now.`,
  );
} finally {
  await store.close();
}
