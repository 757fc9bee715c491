/**
 * The fallback playbook: a first action and a follow-up per category, written in our own words from
 * NIST SP 800-61 Rev. 2, "Computer Security Incident Handling Guide" (2012), section 3.3 (containment
 * strategies per attack vector, 3.2.1) — https://doi.org/10.6028/NIST.SP.800-61r2
 */
import type { Category } from './categories.js';

export interface PlaybookEntry {
  firstAction: string;
  countermeasure: string;
  /** the NIST SP 800-61r2 attack vector the category belongs to */
  nistVector: string;
}

export const PLAYBOOK_SOURCE = 'NIST SP 800-61 Rev. 2, Computer Security Incident Handling Guide, sections 3.2.1 and 3.3 (https://doi.org/10.6028/NIST.SP.800-61r2)';

export const PLAYBOOK: Record<Category, PlaybookEntry> = {
  'brute-force': { nistVector: 'attrition', firstAction: 'Check whether any login from the source succeeded; block the source address at the perimeter and lock or reset the targeted accounts if one did.', countermeasure: 'Enforce lockout or rate limits and multi-factor authentication on the exposed login; remove password logins where keys or SSO can be used.' },
  dos: { nistVector: 'attrition', firstAction: 'Confirm the service impact and ask the upstream provider or filtering service to filter the attacking traffic; keep the evidence (flow records).', countermeasure: 'Set up rate limiting and a standing DDoS mitigation arrangement with the provider.' },
  phishing: { nistVector: 'e-mail', firstAction: 'Find every recipient of the message, remove it from mailboxes, block the sender and the linked domains, and reset the credentials of anyone who entered them.', countermeasure: 'Tighten mail filtering (SPF, DKIM, DMARC) and train users to report suspicious mail.' },
  ransomware: { nistVector: 'external/removable media, e-mail or web', firstAction: 'Disconnect the affected hosts from the network at once (do not power them off) and protect the backups from the same credentials.', countermeasure: 'Restore from offline backups after rebuilding; patch the entry point and segment the network.' },
  malware: { nistVector: 'external/removable media, e-mail or web', firstAction: 'Isolate the infected host from the network and block its command-and-control destinations; keep a memory and disk image.', countermeasure: 'Rebuild the host from a known-good image and close the path the malware came in by.' },
  'web-attack': { nistVector: 'web', firstAction: 'Check the web server logs for successful requests from the source; block the source and, where needed, take the vulnerable page offline.', countermeasure: 'Fix or patch the application, add input validation, and put a web application firewall rule in front of it.' },
  vulnerability: { nistVector: 'web or other', firstAction: 'Identify the exposed systems running the vulnerable version and restrict access to them until they are patched.', countermeasure: 'Apply the vendor patch or mitigation everywhere and verify with a scan.' },
  'account-compromise': { nistVector: 'impersonation', firstAction: 'Disable or reset the compromised accounts (where credentials were dumped on a host: every account that logged on to it), end their sessions and tokens, and review what they accessed.', countermeasure: "Require multi-factor authentication and alert on unusual logins; where a domain controller's credentials were taken (DCSync, ntds.dit), reset the krbtgt account twice." },
  'data-breach': { nistVector: 'improper usage or other', firstAction: 'Stop the exposure (close the share, revoke the access) and preserve the evidence; establish what data left and whose it is.', countermeasure: 'Fix the access control that failed and follow the notification duties that apply.' },
  defacement: { nistVector: 'web', firstAction: 'Take the defaced site offline or restore a clean copy, keeping a copy of the altered files as evidence.', countermeasure: 'Find and close the way in (credentials, vulnerable plug-in), then harden the publishing path.' },
  scan: { nistVector: 'other', firstAction: 'Verify nothing answered that should not; block the scanning source if it persists and watch for follow-up attempts.', countermeasure: 'Reduce the exposed services to those that must be reachable.' },
  misuse: { nistVector: 'improper usage', firstAction: 'Preserve the evidence and involve management and HR before acting on the account.', countermeasure: 'Review access rights and the acceptable-use policy.' },
  'loss-theft': { nistVector: 'loss or theft of equipment', firstAction: 'Revoke the credentials and certificates on the device and wipe it remotely if possible.', countermeasure: 'Require full-disk encryption and device management for portable equipment.' },
  other: { nistVector: 'other', firstAction: 'Scope the incident: identify the affected hosts and accounts from the logs before changing anything, and preserve the evidence.', countermeasure: 'Decide the fix once the cause is known; record the lessons learned.' },
};
