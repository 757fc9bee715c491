/** Account names of the demo company's staff, most active first (the generator draws them Zipf-skewed). */
export const USER_NAMES: readonly string[] = `
alice bob carol dave erin frank grace heidi ivan judy kevin laura mike nina oscar peggy quentin rachel
steve trent ursula victor wendy xavier yvonne zach aaron abby adam adrian agnes aiden alan albert alex
alexis alfred allison amanda amber amy andrea andrew angela anita ann anna anthony april arthur ashley
audrey austin barbara beatrice ben benjamin bernard beth betty bianca bill blake bonnie brad brandon
brenda brian brittany brooke bruce bryan caleb cameron carl carlos caroline carrie casey catherine cecil
chad charles charlie chelsea chloe chris christian christina cindy claire clara clarence claude clifford
cody colin connor craig crystal curtis cynthia daisy dale dan daniel danielle darius darren david dean
deborah denise dennis derek diana diane dominic donald donna doris dorothy douglas dylan edgar edith
edward eileen elaine eleanor elena eli elijah elizabeth ella ellen elliot emily emma eric erica ethan
eugene eva evan evelyn faith felix fiona florence francis gabriel gail gary gavin gene george gerald
gina gloria gordon greg gwen hannah harold harry hazel helen henry herbert holly howard hugo ian irene
isaac isabel jack jacob jake james jamie jane janet jared jason jean jeff jenna jennifer jeremy jerry
jesse jessica jill joan joe joel john jon jordan jose joseph joshua joy joyce juan julia julian julie
justin karen kate katherine kathy keith kelly ken kim kyle lance larry laurence leah lee leo leon
leonard leslie liam lillian linda lisa logan lois lorraine louis lucas lucy luis luke lydia lynn
mabel madison marcus margaret maria marie marilyn mark marsha martha martin marvin mary mason matt
maurice megan melissa melvin mia michelle miles miranda molly monica morgan nancy nathan neil nicole
noah norma norman oliver olivia owen pamela patricia patrick paul paula pearl peter philip phyllis
rebecca regina richard rick rita robert robin roger ronald rose ross roy ruby russell ruth ryan sally
sam samantha sandra sara scott sean seth sharon shawn sheila shirley simon sophia spencer stacy stanley
stella stephanie stuart susan sylvia tammy tara ted teresa terry theodore thomas tiffany tim tina todd
tom tony tracy travis tyler valerie vanessa vera vincent violet virginia walter warren wayne wesley
william willie yolanda zoe
`.trim().split(/\s+/);

/** Names that scanners and brute-force scripts try: not staff, mostly invalid on the targets. */
export const ATTACK_USER_NAMES: readonly string[] = `
root admin test user oracle postgres ubuntu pi guest ftp git deploy support mysql www-data nagios
hadoop jenkins ansible administrator operator backup server web tomcat elastic minecraft steam
`.trim().split(/\s+/);
