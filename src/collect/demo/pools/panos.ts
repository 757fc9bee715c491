/** PAN-OS vocabulary: applications by destination port, URL categories and threat signatures. */

export interface PanApp {
  app: string;
  port: number;
  proto: 'tcp' | 'udp';
  category: string;
}

export const PAN_APPS: readonly PanApp[] = [
  { app: 'ssl', port: 443, proto: 'tcp', category: 'computer-and-internet-info' },
  { app: 'web-browsing', port: 80, proto: 'tcp', category: 'business-and-economy' },
  { app: 'dns', port: 53, proto: 'udp', category: 'any' },
  { app: 'office365-enterprise-access', port: 443, proto: 'tcp', category: 'computer-and-internet-info' },
  { app: 'google-base', port: 443, proto: 'tcp', category: 'search-engines' },
  { app: 'slack-base', port: 443, proto: 'tcp', category: 'internet-communications-and-telephony' },
  { app: 'zoom', port: 8801, proto: 'udp', category: 'internet-communications-and-telephony' },
  { app: 'ntp', port: 123, proto: 'udp', category: 'any' },
  { app: 'ms-update', port: 443, proto: 'tcp', category: 'computer-and-internet-info' },
  { app: 'github-base', port: 443, proto: 'tcp', category: 'computer-and-internet-info' },
  { app: 'youtube-base', port: 443, proto: 'tcp', category: 'streaming-media' },
  { app: 'smtp', port: 25, proto: 'tcp', category: 'any' },
  { app: 'ssh', port: 22, proto: 'tcp', category: 'any' },
  { app: 'incomplete', port: 443, proto: 'tcp', category: 'any' },
];

export interface PanThreat {
  name: string;
  id: number;
  subtype: 'vulnerability' | 'spyware' | 'virus' | 'url';
  severity: 'low' | 'medium' | 'high' | 'critical';
  category: string;
}

export const WORDPRESS_BRUTE_FORCE: PanThreat = { name: 'WordPress Login Brute Force Attempt', id: 40044, subtype: 'vulnerability', severity: 'critical', category: 'brute-force' };
export const SSH_BRUTE_FORCE: PanThreat = { name: 'SSH User Authentication Brute Force Attempt', id: 40015, subtype: 'vulnerability', severity: 'high', category: 'brute-force' };
export const C2_TRAFFIC: PanThreat = { name: 'Suspicious DNS Query (generic:cdn-sync)', id: 109001001, subtype: 'spyware', severity: 'high', category: 'spyware' };
/** A URL-filtering log of the beaconing workstation's requests: PAN-OS logs the URL (no scheme) in the misc column, the name is empty, the id 9999. */
export const C2_URL: PanThreat = { name: '', id: 9999, subtype: 'url', severity: 'high', category: 'command-and-control' };
/** Paths of the beacon's requests; `{id}` is the infected host's hex id. */
export const C2_PATHS: readonly string[] = ['/gate.php?id={id}', '/api/v2/beacon?uid={id}&k=8f3b', '/submit.php', '/panel/tasks.php?bot={id}', '/update.bin'];

export const NMAP_DETECTION: PanThreat = { name: 'Nmap Scripting Engine Detection', id: 58433, subtype: 'vulnerability', severity: 'medium', category: 'hacktool' };

/** Signatures that fire now and then on ordinary traffic. */
export const BACKGROUND_THREATS: readonly PanThreat[] = [
  NMAP_DETECTION,
  { name: 'HTTP Directory Traversal Request Attempt', id: 30844, subtype: 'vulnerability', severity: 'medium', category: 'info-leak' },
  { name: 'Microsoft Windows SMB Negotiate Request', id: 34100, subtype: 'vulnerability', severity: 'low', category: 'info-leak' },
  { name: 'PHPUnit Remote Code Execution Vulnerability', id: 54672, subtype: 'vulnerability', severity: 'critical', category: 'code-execution' },
  { name: 'Apache Log4j Remote Code Execution Vulnerability', id: 91991, subtype: 'vulnerability', severity: 'critical', category: 'code-execution' },
  { name: 'Eicar File Detected', id: 39040, subtype: 'virus', severity: 'medium', category: 'virus' },
];

export const COUNTRIES: readonly string[] = ['United States', 'Germany', 'Netherlands', 'France', 'United Kingdom', 'Japan', 'Singapore', 'Ireland', 'China', 'Russian Federation', 'Brazil', 'Viet Nam'];
