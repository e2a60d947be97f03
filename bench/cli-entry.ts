// Runs the CLI from source, for benchmarks on a checkout without dist/.
import { main } from '../src/cli/main.js';

await main();
