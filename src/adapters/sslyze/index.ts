export { importSslyzeJson } from './import-sslyze-json.js';
