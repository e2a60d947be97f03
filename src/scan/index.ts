export { scan, routeTarget, isPrivateAddress, sslLabsConfigured, type ScanOptions, type Route } from './scan.js';
