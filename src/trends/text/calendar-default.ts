/**
 * The default calendar of dates that draw attacks. Recurring entries are `MM-DD`, one-off entries
 * `YYYY-MM-DD` (elections, with `days` for multi-day votes). Every entry names its source; replace or
 * extend it with a JSON file of the same shape (`nml trends … --calendar FILE`, see docs/architecture.md).
 */
import type { CalendarEntry } from './calendar.js';

const W = 'https://en.wikipedia.org/wiki/';

export const DEFAULT_CALENDAR: CalendarEntry[] = [
  // national days and anniversaries hacktivists are known to mark
  { date: '01-26', name: 'Republic Day (India)', kind: 'national_day', countries: ['IN'], source: `${W}Republic_Day_(India)` },
  { date: '02-11', name: 'Anniversary of the Islamic Revolution (Iran)', kind: 'national_day', countries: ['IR'], source: `${W}Iranian_Revolution` },
  { date: '02-24', name: 'Anniversary of the Russian invasion of Ukraine', kind: 'anniversary', countries: ['UA', 'RU'], source: `${W}Russian_invasion_of_Ukraine` },
  { date: '03-01', name: 'March 1st Movement Day (Korea)', kind: 'national_day', countries: ['KR'], source: `${W}March_1st_Movement` },
  { date: '04-07', name: '#OpIsrael annual hacktivist campaign (since 2013)', kind: 'anniversary', countries: ['IL'], source: `${W}OpIsrael` },
  { date: '05-09', name: 'Victory Day (Russia)', kind: 'national_day', countries: ['RU'], source: `${W}Victory_Day_(9_May)` },
  { date: '05-15', name: 'Nakba Day', kind: 'anniversary', countries: ['IL', 'PS'], source: `${W}Nakba_Day` },
  { date: '06-12', name: 'Russia Day', kind: 'national_day', countries: ['RU'], source: `${W}Russia_Day` },
  { date: '07-04', name: 'Independence Day (United States)', kind: 'national_day', countries: ['US'], source: `${W}Independence_Day_(United_States)` },
  { date: '07-14', name: 'Bastille Day (France)', kind: 'national_day', countries: ['FR'], source: `${W}Bastille_Day` },
  { date: '08-15', name: 'End of WWII in Asia / Independence Day (India) / Liberation Day (Korea)', kind: 'national_day', countries: ['JP', 'IN', 'KR'], source: `${W}Victory_over_Japan_Day` },
  { date: '08-24', name: 'Independence Day (Ukraine)', kind: 'national_day', countries: ['UA'], source: `${W}Independence_Day_of_Ukraine` },
  { date: '09-11', name: 'Anniversary of the September 11 attacks', kind: 'anniversary', countries: ['US'], source: `${W}September_11_attacks` },
  { date: '09-18', name: 'Anniversary of the Mukden Incident (China–Japan hacktivism)', kind: 'anniversary', countries: ['CN', 'JP'], source: `${W}Mukden_incident` },
  { date: '10-01', name: 'National Day (China)', kind: 'national_day', countries: ['CN'], source: `${W}National_Day_of_the_People%27s_Republic_of_China` },
  { date: '10-07', name: 'Anniversary of the 7 October attack on Israel', kind: 'anniversary', countries: ['IL', 'PS'], source: `${W}7_October_attacks` },
  { date: '11-05', name: 'Guy Fawkes Night (Anonymous "Million Mask March")', kind: 'anniversary', countries: ['GB'], source: `${W}Million_Mask_March` },
  { date: '11-11', name: 'Independence Day (Poland)', kind: 'national_day', countries: ['PL'], source: `${W}National_Independence_Day_(Poland)` },
  { date: '12-06', name: 'Independence Day (Finland)', kind: 'national_day', countries: ['FI'], source: `${W}Independence_Day_(Finland)` },
  { date: '12-13', name: 'Nanjing Massacre memorial day', kind: 'anniversary', countries: ['CN', 'JP'], source: `${W}Nanjing_Massacre` },
  { date: '12-25', name: 'Christmas (holiday staffing: ransomware timing)', kind: 'holiday', countries: [], source: 'https://www.cisa.gov/news-events/news/cybersecurity-during-holidays' },
  { date: '01-01', name: "New Year's Day (holiday staffing)", kind: 'holiday', countries: [], source: 'https://www.cisa.gov/news-events/news/cybersecurity-during-holidays' },
  // elections (NoName057(16) and others DDoS election and government sites around polling days)
  { date: '2023-02-25', name: 'General election (Nigeria)', kind: 'election', countries: ['NG'], source: `${W}2023_Nigerian_general_election` },
  { date: '2023-03-05', name: 'Parliamentary election (Estonia)', kind: 'election', countries: ['EE'], source: `${W}2023_Estonian_parliamentary_election` },
  { date: '2023-04-02', name: 'Parliamentary election (Finland)', kind: 'election', countries: ['FI'], source: `${W}2023_Finnish_parliamentary_election` },
  { date: '2023-05-14', name: 'General election (Turkey)', kind: 'election', countries: ['TR'], source: `${W}2023_Turkish_presidential_election` },
  { date: '2023-07-23', name: 'General election (Spain)', kind: 'election', countries: ['ES'], source: `${W}2023_Spanish_general_election` },
  { date: '2023-09-30', name: 'Parliamentary election (Slovakia)', kind: 'election', countries: ['SK'], source: `${W}2023_Slovak_parliamentary_election` },
  { date: '2023-10-15', name: 'Parliamentary election (Poland)', kind: 'election', countries: ['PL'], source: `${W}2023_Polish_parliamentary_election` },
  { date: '2023-11-22', name: 'General election (Netherlands)', kind: 'election', countries: ['NL'], source: `${W}2023_Dutch_general_election` },
  { date: '2024-01-13', name: 'Presidential and legislative elections (Taiwan)', kind: 'election', countries: ['TW'], source: `${W}2024_Taiwanese_presidential_election` },
  { date: '2024-02-14', name: 'General election (Indonesia)', kind: 'election', countries: ['ID'], source: `${W}2024_Indonesian_general_election` },
  { date: '2024-03-15', days: 3, name: 'Presidential election (Russia)', kind: 'election', countries: ['RU'], source: `${W}2024_Russian_presidential_election` },
  { date: '2024-04-19', days: 44, name: 'General election (India)', kind: 'election', countries: ['IN'], source: `${W}2024_Indian_general_election` },
  { date: '2024-06-06', days: 4, name: 'European Parliament election', kind: 'election', countries: ['EU'], source: `${W}2024_European_Parliament_election` },
  { date: '2024-06-30', days: 8, name: 'Legislative election (France)', kind: 'election', countries: ['FR'], source: `${W}2024_French_legislative_election` },
  { date: '2024-07-04', name: 'General election (United Kingdom)', kind: 'election', countries: ['GB'], source: `${W}2024_United_Kingdom_general_election` },
  { date: '2024-10-27', name: 'General election (Japan)', kind: 'election', countries: ['JP'], source: `${W}2024_Japanese_general_election` },
  { date: '2024-11-05', name: 'Presidential election (United States)', kind: 'election', countries: ['US'], source: `${W}2024_United_States_presidential_election` },
  { date: '2024-11-24', name: 'Presidential election, first round (Romania)', kind: 'election', countries: ['RO'], source: `${W}2024_Romanian_presidential_election` },
  { date: '2025-02-23', name: 'Federal election (Germany)', kind: 'election', countries: ['DE'], source: `${W}2025_German_federal_election` },
  { date: '2025-04-28', name: 'Federal election (Canada)', kind: 'election', countries: ['CA'], source: `${W}2025_Canadian_federal_election` },
  { date: '2025-05-03', name: 'Federal election (Australia)', kind: 'election', countries: ['AU'], source: `${W}2025_Australian_federal_election` },
  { date: '2025-05-18', name: 'Presidential election, first round (Poland)', kind: 'election', countries: ['PL'], source: `${W}2025_Polish_presidential_election` },
  { date: '2025-06-03', name: 'Presidential election (South Korea)', kind: 'election', countries: ['KR'], source: `${W}2025_South_Korean_presidential_election` },
  { date: '2025-07-20', name: 'House of Councillors election (Japan)', kind: 'election', countries: ['JP'], source: `${W}2025_Japanese_House_of_Councillors_election` },
];
