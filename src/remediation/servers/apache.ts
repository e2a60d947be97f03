import type { Advice } from '../advice.js';
import { APACHE_SYNTAX } from '../data/server-syntax.js';
import type { RemediationPlan } from '../plan-remediation.js';
import { cipherStringServerAdvice } from './openssl-server-advice.js';

/** mod_ssl directives (httpd.apache.org/docs/2.4/mod/mod_ssl.html). */
export function apacheAdvice(plan: RemediationPlan): Advice[] {
  return cipherStringServerAdvice(plan, APACHE_SYNTAX);
}
