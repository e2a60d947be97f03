import type { X2jOptions } from 'fast-xml-parser';

/**
 * fast-xml-parser settings for XML that other tools wrote (nmap, sslscan): no entity is expanded (a
 * DOCTYPE's entities never reach the values, so "billion laughs" costs nothing), every value stays the
 * text it was, and declarations and processing instructions are dropped. Each reader adds its own shape.
 */
export const UNTRUSTED_XML_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
} as const satisfies Partial<X2jOptions>;
