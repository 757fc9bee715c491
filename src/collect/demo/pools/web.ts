/** Request paths, user agents and statuses for the access-log family, most common first. */

export const INTRANET_PATHS: readonly string[] = [
  '/', '/index.html', '/favicon.ico', '/static/app.js', '/static/app.css', '/api/v1/status', '/api/v1/me',
  '/api/v1/tickets?state=open', '/api/v1/search?q=vpn', '/wiki/Onboarding', '/wiki/VPN', '/wiki/Expense_Policy',
  '/hr/timesheet', '/hr/leave', '/reports/q3.pdf', '/login', '/logout', '/dashboard', '/images/logo.png',
  '/robots.txt', '/healthz', '/metrics', '/api/v1/notifications', '/files/handbook.pdf', '/calendar',
];

export const PUBLIC_PATHS: readonly string[] = [
  '/', '/index.php', '/wp-content/themes/corp/style.css', '/wp-includes/js/jquery/jquery.min.js', '/blog/',
  '/about/', '/contact/', '/careers/', '/products/', '/feed/', '/sitemap.xml', '/robots.txt', '/favicon.ico',
  '/wp-json/wp/v2/posts', '/blog/2024/10/release-notes/', '/pricing/', '/support/', '/privacy-policy/',
];

/** What scanners ask for: the paths a demo search for "probing" should find. */
export const PROBE_PATHS: readonly string[] = [
  '/.env', '/.git/config', '/wp-login.php', '/xmlrpc.php', '/phpmyadmin/index.php', '/admin/config.php',
  '/cgi-bin/luci/;stok=/locale', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/solr/admin/info/system?wt=json',
  '/actuator/env', '/server-status', '/boaform/admin/formLogin', '/HNAP1/', '/owa/auth/logon.aspx',
  '/.aws/credentials', '/config.json', '/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd', '/index.php?s=/Index/\\think\\app/invokefunction',
];

export const BROWSER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'curl/8.5.0',
  'python-requests/2.31.0',
];

export const SCANNER_AGENTS: readonly string[] = [
  'Mozilla/5.0 zgrab/0.x', 'Go-http-client/1.1', 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
  'masscan/1.3 (https://github.com/robertdavidgraham/masscan)', 'Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)',
  'python-requests/2.28.1', 'WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)',
];

export const STATUSES: readonly number[] = [200, 200, 200, 200, 200, 200, 200, 304, 304, 301, 302, 404, 204, 403, 500];
