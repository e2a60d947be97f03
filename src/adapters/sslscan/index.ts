export { importSslscanXml } from './import-sslscan-xml.js';
