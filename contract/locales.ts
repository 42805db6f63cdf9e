// The languages the cockpit speaks: the webapp's catalogues and the bot's (server/src/i18n/catalogues), named
// as Mattermost names its locales (contract/waves_people.ts mattermostLocales). English is the fallback and
// the source every other catalogue is checked against.

export const cockpitLocales = ['en', 'de', 'fr', 'es', 'ja', 'pt-BR', 'nl', 'pl', 'ru', 'ko', 'zh-CN'] as const;
export type CockpitLocale = typeof cockpitLocales[number];
export const fallbackLocale: CockpitLocale = 'en';

export const isCockpitLocale = (value: string): value is CockpitLocale => (cockpitLocales as readonly string[]).includes(value);

/**
 * The cockpit's locale for a Mattermost locale, or null when it has none: the same locale, or the bare
 * language for a regional variant ('en-AU' → 'en'); a variant of another script or region is not matched
 * ('zh-TW' is not 'zh-CN', and 'pt-PT' readers are not given 'pt-BR' by guess).
 */
export function matchLocale(locale: string | undefined | null): CockpitLocale | null {
    const wanted = (locale ?? '').trim().toLowerCase().replace('_', '-');
    if (wanted === '') {
        return null;
    }
    const exact = cockpitLocales.find((candidate) => candidate.toLowerCase() === wanted);
    if (exact) {
        return exact;
    }
    const language = wanted.split('-')[0];
    return cockpitLocales.find((candidate) => candidate === language) ?? null;
}

/** Whom the bot speaks to in what: the person's own locale if the cockpit has it, else the server's default, else English. */
export function localeFor(userLocale: string | undefined | null, serverDefault: string | undefined | null): CockpitLocale {
    return matchLocale(userLocale) ?? matchLocale(serverDefault) ?? fallbackLocale;
}
