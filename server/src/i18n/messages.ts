import {IntlMessageFormat} from 'intl-messageformat';

import {type CockpitLocale, fallbackLocale, localeFor} from 'contract/locales';

import de from './catalogues/de.json';
import en from './catalogues/en.json';
import es from './catalogues/es.json';
import fr from './catalogues/fr.json';
import ja from './catalogues/ja.json';
import ko from './catalogues/ko.json';
import nl from './catalogues/nl.json';
import pl from './catalogues/pl.json';
import ptBR from './catalogues/pt-BR.json';
import ru from './catalogues/ru.json';
import zhCN from './catalogues/zh-CN.json';

import type {ServerConfig} from '../mattermost/api';

// Everything the bot says, in ICU message syntax (the webapp's react-intl uses the same), one catalogue
// per language; English is the source (catalogues.test.ts checks every other catalogue has each of its
// keys with the same arguments). Formatted by intl-messageformat; in the plugin's script engine the
// plural and number rules it needs come from the host's Intl (server/host/intl.go, CLDR data).
// Arguments are put in as given: a caller puts user or admin text through escapeMarkdown first.

export type MessageId = keyof typeof en;
export type MessageValues = Record<string, string | number>;

export const catalogues: Record<CockpitLocale, Partial<Record<MessageId, string>>> = {
    en,
    de,
    fr,
    es,
    ja,
    'pt-BR': ptBR,
    nl,
    pl,
    ru,
    ko,
    'zh-CN': zhCN,
};

// Parsed messages, per engine: the catalogues never change while the bundle runs.
const parsed = new Map<string, IntlMessageFormat>();

/** One message in one language (English when the catalogue lacks it). */
export function formatMessage(locale: CockpitLocale, id: MessageId, values: MessageValues = {}): string {
    const own = catalogues[locale][id];
    const language = own === undefined ? fallbackLocale : locale;
    const key = `${language}\u0000${id}`;
    let format = parsed.get(key);
    if (format === undefined) {
        format = new IntlMessageFormat(own ?? en[id], language);
        parsed.set(key, format);
    }
    return String(format.format(values));
}

/**
 * A number as `locale` writes it (digit grouping, decimal sign), for a number that stands outside a
 * message (a table cell): the same formatter as `{x, number}` inside one.
 */
export function formatNumber(locale: CockpitLocale, value: number): string {
    const key = `${locale}\u0000{number}`;
    let format = parsed.get(key);
    if (format === undefined) {
        format = new IntlMessageFormat('{value, number}', locale);
        parsed.set(key, format);
    }
    return String(format.format({value}));
}

/** What the bot says to one person: every message and number in their language. */
export interface Speaker {
    locale: CockpitLocale;
    t(id: MessageId, values?: MessageValues): string;
    number(value: number): string;
}

export function speakerFor(locale: CockpitLocale): Speaker {
    return {locale, t: (id, values) => formatMessage(locale, id, values), number: (value) => formatNumber(locale, value)};
}

/** The server's default locale for the bot's messages (LocalizationSettings.DefaultServerLocale). */
export function serverLocale(config: ServerConfig | null | undefined): string {
    const value = config?.LocalizationSettings?.DefaultServerLocale;
    return typeof value === 'string' ? value : '';
}

/**
 * The speaker for what many read at once (a status post in a channel): the server's default language
 * (LocalizationSettings.DefaultServerLocale, as the server's own system messages), else English.
 */
export function serverSpeaker(config: ServerConfig | null | undefined): Speaker {
    return speakerFor(localeFor(null, serverLocale(config)));
}

/** The speaker for a person with Mattermost locale `userLocale` on a server whose config is `config`. */
export function speakerForUser(user: {locale?: string} | null | undefined, config: ServerConfig | null | undefined): Speaker {
    return speakerFor(localeFor(user?.locale, serverLocale(config)));
}
