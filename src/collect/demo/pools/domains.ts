/** Domains the demo network resolves and visits, most popular first; subdomain prefixes multiply them. */
export const DOMAINS: readonly string[] = `
google.com microsoft.com office.com windowsupdate.com apple.com icloud.com amazonaws.com cloudflare.com
akamaihd.net github.com googleapis.com gstatic.com youtube.com slack.com zoom.us salesforce.com
linkedin.com facebook.com instagram.com twitter.com x.com wikipedia.org mozilla.org firefox.com
dropbox.com box.com atlassian.net atlassian.com bitbucket.org gitlab.com npmjs.org npmjs.com pypi.org
docker.io docker.com ubuntu.com debian.org centos.org redhat.com fedoraproject.org kernel.org
letsencrypt.org digicert.com sectigo.com globalsign.com verisign.com godaddy.com namecheap.com
adobe.com adobelogin.com okta.com duosecurity.com onelogin.com auth0.com zendesk.com hubspot.com
mailchimp.com sendgrid.net mailgun.org gmail.com outlook.com live.com hotmail.com yahoo.com
bing.com duckduckgo.com baidu.com yandex.ru naver.com msn.com cnn.com bbc.co.uk nytimes.com
reuters.com bloomberg.com theguardian.com wsj.com washingtonpost.com forbes.com medium.com
stackoverflow.com stackexchange.com reddit.com quora.com imgur.com pinterest.com tumblr.com
netflix.com spotify.com twitch.tv discord.com discordapp.com whatsapp.net telegram.org signal.org
skype.com webex.com gotomeeting.com teamviewer.com anydesk.com logmein.com splunk.com datadoghq.com
newrelic.com sentry.io pagerduty.com statuspage.io grafana.net elastic.co mongodb.com snowflakecomputing.com
azure.com azureedge.net windows.net msftncsi.com msedge.net live.net sharepoint.com onedrive.com
skypeforbusiness.com teams.microsoft.com googleusercontent.com googlevideo.com doubleclick.net
googlesyndication.com google-analytics.com googletagmanager.com facebook.net fbcdn.net cdninstagram.com
twimg.com licdn.com amazon.com media-amazon.com ssl-images-amazon.com cloudfront.net fastly.net
jsdelivr.net unpkg.com cdnjs.com bootstrapcdn.com fonts.net typekit.net hotjar.com segment.io
mixpanel.com optimizely.com intercom.io drift.com crisp.chat trello.com notion.so figma.com
miro.com canva.com asana.com monday.com clickup.com airtable.com smartsheet.com basecamp.com
docusign.net docusign.com adobesign.com hellosign.com paypal.com stripe.com squareup.com
intuit.com quickbooks.com xero.com workday.com adp.com paychex.com gusto.com bamboohr.com
servicenow.com freshdesk.com jira.com confluence.com circleci.com travis-ci.com jfrog.io
sonatype.org maven.org gradle.org golang.org go.dev rust-lang.org crates.io nodejs.org
python.org php.net java.com oracle.com ibm.com cisco.com paloaltonetworks.com fortinet.com
crowdstrike.com sentinelone.net sophos.com mcafee.com symantec.com norton.com avast.com kaspersky.com
malwarebytes.com virustotal.com shodan.io censys.io abuse.ch spamhaus.org ntp.org pool.ntp.org
time.windows.com time.apple.com speedtest.net fast.com ookla.com weather.com accuweather.com
booking.com expedia.com airbnb.com uber.com lyft.com ebay.com etsy.com walmart.com target.com
bestbuy.com homedepot.com ikea.com fedex.com ups.com usps.com dhl.com
`.trim().split(/\s+/);

/** Host labels prepended to a domain, most common first; '' means the bare domain. */
export const SUBDOMAINS: readonly string[] = ['www', '', 'api', 'cdn', 'login', 'static', 'mail', 'update', 'app', 'img', 'auth', 'files', 'm', 'download', 'assets', 'edge', 'telemetry', 'ws', 'docs', 'status'];

/** Invented command-and-control domains for the beaconing storyline (no real owner intended). */
export const BAD_DOMAINS: readonly string[] = [
  'cdn-sync-telemetry.top', 'update-chk-svc.xyz', 'q8zk3-metrics.click', 'login-verify-portal.info',
  'mstdn-cache-node.biz', 'azure-blob-mirror.cyou', 'img-stat-relay.rest', 'ocsp-check-upd.icu',
];

/** The company's own zones. */
export const INTERNAL_ZONE = 'corp.example.com';
export const PUBLIC_SITE = 'www.example.com';
