/** The nmap command line that produces what this adapter reads, for help texts and error messages. */
export const NMAP_HOW_TO = 'nmap -p 443 --script ssl-enum-ciphers -oX - HOST';
