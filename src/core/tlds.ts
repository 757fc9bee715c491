/**
 * Top-level domains that count for a domain entity: common generic ones, every country code, and the
 * special-use names that real networks log (`.local`, `.lan`, `.internal`, `.test`). Deliberately
 * compact: a full IANA list (`.name`, `.zip`, `.properties`, `.host`) turns code identifiers such as
 * `user.name` or `workers2.properties` into domains.
 */

const GENERIC = [
  'com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'info', 'biz', 'arpa', 'app', 'dev', 'cloud', 'online',
  'site', 'xyz', 'top', 'club', 'shop', 'store', 'tech', 'pro', 'mobi', 'asia', 'tel', 'travel', 'jobs',
  'museum', 'aero', 'coop', 'cat', 'icu', 'buzz', 'fun', 'space', 'website', 'live', 'news', 'blog', 'link',
  'click', 'vip', 'win', 'bid', 'loan', 'work', 'ltd', 'onion',
  // new gTLDs at the top of abuse reports (Spamhaus, Interisle) that are no code or field word (not
  // `.email`, `.date`, `.zone`, `.world`, `.fit`, `.lat`, `.stream`: `user.email`, `time.zone`, `hello.world`);
  // the demo's C2 domain is a `.rest` (its `domain:` evidence found nothing until session 28)
  'rest', 'cyou', 'cfd', 'sbs', 'autos', 'monster', 'quest', 'beauty', 'hair', 'makeup', 'boats', 'yachts',
  'homes', 'mom', 'lol', 'cam', 'uno', 'gdn', 'men', 'racing', 'party', 'webcam', 'accountant', 'faith',
  'cricket', 'science', 'digital', 'today', 'rocks', 'best', 'ink', 'kim', 'country',
  'local', 'localdomain', 'localhost', 'lan', 'internal', 'intranet', 'corp', 'home', 'test', 'example', 'invalid',
];

const COUNTRY = (
  'ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw by bz ' +
  'ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et eu fi fj fk fm ' +
  'fo fr ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it ' +
  'je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn ' +
  'mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps ' +
  'pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj ' +
  'tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw'
).split(' ');

export const TLDS: ReadonlySet<string> = new Set([...GENERIC, ...COUNTRY]);

/**
 * TLDs that are also file extensions or code words (`script.sh`, `setup.py`, `pam_unix.so`, `README.md`,
 * `main.tf`, `request.id`, macOS's `Weather.app`): with only two labels such a name is taken for a file.
 */
export const AMBIGUOUS_TLDS: ReadonlySet<string> = new Set([
  'sh', 'py', 'pl', 'rs', 'md', 'so', 'cc', 'pm', 'mk', 'mo', 'am', 'ps', 'ml', 'la', 'ac', 'id', 'sc', 'tf',
  'do', 'is', 'app',
]);

/**
 * First labels of reverse-DNS code names (`org.apache.hadoop.app`, `com.apple.mail`, `java.lang.String`)
 * and of Hadoop's configuration keys (`mapred.tip.id`, `mapreduce.task.id`, which Spark logs).
 */
export const CODE_ROOTS: ReadonlySet<string> = new Set([
  'com', 'org', 'net', 'io', 'java', 'javax', 'jdk', 'sun', 'android', 'androidx', 'kotlin', 'scala', 'akka',
  'mapred', 'mapreduce',
]);
