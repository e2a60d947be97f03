export { readNmapXml, readNmapXmlFile, type NmapXmlInput } from './read-nmap-xml.js';
export { parseNmapXml, type NmapParseResult } from './parse-nmap-xml.js';
export { NmapDocumentReader, NMAP_HOW_TO, emptyNmapReadSummary, requestsSslEnumCiphers, type NmapReadSummary } from './nmap-document-reader.js';
export { parseNmapHost, readKexInfo, type NmapHostContext, type NmapHostResult } from './parse-nmap-host.js';
export { NmapXmlSplitter, MAX_HOST_BYTES, decodeXmlText, type NmapRunInfo } from './nmap-xml-splitter.js';
export { readNmapTlsPorts, readNmapTlsPortsFile, tlsPortsOfHost, type NmapTlsPort, type NmapSkippedPort } from './read-nmap-tls-ports.js';
