/**
 * Past incidents of the demo network for `nml serve --demo`, so that "similar past incidents" and the
 * first action drawn from them have something to find. They are written as the reports an operator
 * would paste (summary, addresses, first action, remediation, outcome) about the attacks the demo
 * traffic acts out (collect/demo/storylines.ts): SSH brute force on the bastion, port scans, a
 * workstation beaconing to a command-and-control domain, WordPress login brute force; plus a phishing
 * mail and a ransomware note. Each goes through the same normalizer as a pasted report.
 */
import { incidentOf } from './incident.js';
import type { IncidentBase } from './incident-base.js';
import { normalizeText } from './normalize.js';

export const DEMO_SOURCE = 'demo';

export const DEMO_REPORTS: readonly string[] = [
  `Event Summary: SSH Brute Force Attempt against srv-bastion-01 (demo)
Date: 2026-09-14 02:17
Source: 185.220.101.34
Destination: 10.0.1.10 port 22
Protocol: TCP
Severity: high
About 4,000 failed password logins for root, admin and staff names in 40 minutes; no login succeeded.
First action: blocked 185.220.101.34 at the perimeter firewall and confirmed in the sshd log that no login from it succeeded.
Remediation: disabled password authentication on the bastion; keys only, with fail2ban.
Outcome: contained, no compromise`,
  `Event Summary: SSH brute force guessed a staff password on srv-bastion-01 (demo)
Date: 2026-10-03 23:41
Source: 45.142.212.61
Destination: 10.0.1.10 port 22
Severity: critical
After 2,300 failed logins the attacker logged in as user bob and ran a few commands before the session was cut.
First action: locked the account bob, killed its sessions and blocked 45.142.212.61; reviewed bob's shell history and the hosts he reached.
Remediation: reset all staff passwords on the bastion, enforced multi-factor authentication for SSH.
Outcome: account recovered, no other host reached from it`,
  `Event Summary: Port scan from the Internet against the public range (demo)
Date: 2026-10-11 09:05
Source: 162.142.125.9
Destination: 203.0.113.0/24
Threat Name: TCP port scan (nmap SYN scan)
Severity: low
SYN probes to 1,000 ports on every public address, dropped by the firewall.
First action: checked that only the published ports answered and added the source to the watch list; no block needed.
Remediation: none; the services that answered were the documented ones.
Outcome: no impact`,
  `Event Summary: Workstation beaconing to a command-and-control domain (demo)
Date: 2026-10-21 14:30
Source: 10.0.2.57
Destination: cdn-sync-telemetry.top port 443
Threat Name: Cobalt Strike beacon (C2 traffic)
Severity: critical
DNS lookups and TLS sessions to the same domain every 60 seconds from the workstation of alice.
First action: isolated 10.0.2.57 from the network, sinkholed the domain in the resolver and pulled the DHCP lease to find the user.
Remediation: reimaged the workstation, reset alice's credentials and blocked the domain at the proxy.
Outcome: contained on one host`,
  `Event Summary: WordPress login brute force on the public web site (demo)
Date: 2026-11-02 03:12
Source: 193.32.162.70
Destination: web-01 port 443
Protocol: HTTP
Severity: medium
Thousands of POST /wp-login.php and xmlrpc.php requests with common passwords.
First action: blocked 193.32.162.70 at the web application firewall and checked that no administrator login succeeded.
Remediation: rate-limited wp-login.php, disabled xmlrpc.php and required two-factor login for editors.
Outcome: no compromise`,
  `Event Summary: Phishing mail with a credential-harvesting link (demo)
Date: 2026-11-09 08:55
Source: billing@paypa1-secure.com
Threat Name: credential phishing
Severity: high
Twelve staff received a fake invoice mail; two clicked http://paypal.com.secure-login.verify-account.xyz/webscr and one entered a password.
First action: purged the mail from every mailbox, blocked the domain at the proxy and reset the password of the user who entered it.
Remediation: added the look-alike domain pattern to the mail filter and ran a phishing awareness session.
Outcome: one account reset, no later logins by the attacker`,
  `Event Summary: Ransomware note on the file server (demo)
Date: 2026-11-20 06:02
Destination: srv-file-01
Threat Name: ransomware (Akira)
Severity: critical
Files on one share renamed with a new extension and a ransom note left in every folder.
First action: disconnected srv-file-01 from the network, disabled the service account that wrote the files and preserved the server's memory and logs.
Remediation: restored the share from the offline backup and removed local administrator rights from service accounts.
Outcome: restored from backup, no ransom paid`,
];

/** Puts the demo incidents into an empty base; returns how many (0 when the base already held incidents). */
export function seedDemoIncidents(base: IncidentBase): number {
  if (base.count() > 0) return 0;
  const incidents = DEMO_REPORTS.map((text, i) => incidentOf(`demo:${i + 1}`, normalizeText(text), DEMO_SOURCE));
  base.put(incidents);
  return incidents.length;
}
