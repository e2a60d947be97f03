import type { Advice } from '../advice.js';
import { NGINX_SYNTAX } from '../data/server-syntax.js';
import type { RemediationPlan } from '../plan-remediation.js';
import { cipherStringServerAdvice } from './openssl-server-advice.js';

/** ngx_http_ssl_module directives (nginx.org/en/docs/http/ngx_http_ssl_module.html). */
export function nginxAdvice(plan: RemediationPlan): Advice[] {
  return cipherStringServerAdvice(plan, NGINX_SYNTAX);
}
