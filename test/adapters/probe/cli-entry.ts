// The CLI from source, so CLI tests need no build.
import { main } from '../../../src/cli/main.js';

await main();
