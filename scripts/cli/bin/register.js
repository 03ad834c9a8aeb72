// `node --import ./scripts/cli/bin/register.js <script>`: lets a Node script import the engine's
// extensionless relative imports (see resolve-extensionless.js).
import { register } from 'node:module';

register('./resolve-extensionless.js', import.meta.url);
