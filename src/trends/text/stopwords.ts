/** English stop words (function words that carry no topic) for keyword and feature extraction. */
export const EN_STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each ' +
    'few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on ' +
    'once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to ' +
    'too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves said says say new one two may can\'t ' +
    'it\'s its don\'t get got via per amp rt url username http https www com html'
  ).split(' '),
);

/** Parts of speech kept from Japanese text (kuromoji's IPADIC tags): nouns, verbs, adjectives. */
export const JA_KEEP_POS = new Set(['名詞', '動詞', '形容詞']);
/** Japanese noun subtypes that are not topical (numbers, suffixes, pronouns, non-independent). */
export const JA_DROP_DETAIL = new Set(['数', '接尾', '代名詞', '非自立']);
