// The plugin's message catalogues, one per language of contract/locales.ts. English is the source
// (every message is defined in the code with its English text, and en.json holds the same); every other
// catalogue carries the same keys (catalogues.test.ts). Keys are Mattermost's locale codes, the values a
// user's `locale` takes (contract/waves_people.ts mattermostLocales).
//
// All of them are in the one bundle file: Mattermost serves a plugin's webapp as that single file (no chunks
// to load later), and registerTranslations' getter answers synchronously.
import {type CockpitLocale, fallbackLocale, isCockpitLocale} from 'contract/locales';

import de from './de.json';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import ja from './ja.json';
import ko from './ko.json';
import nl from './nl.json';
import pl from './pl.json';
import ptBR from './pt-BR.json';
import ru from './ru.json';
import zhCN from './zh-CN.json';

export type Catalogue = Readonly<Record<string, string>>;

export const sourceLocale: CockpitLocale = fallbackLocale;

// Typed by the one language list (contract/locales.ts), so a language without its catalogue does not compile.
export const catalogues: Readonly<Record<CockpitLocale, Catalogue>> = {en, de, es, fr, ja, ko, nl, pl, 'pt-BR': ptBR, ru, 'zh-CN': zhCN};

const withFallback = new Map<string, Catalogue>();

/**
 * What `registerTranslations` hands the web app for a locale: the locale's catalogue over English, so a
 * locale without a catalogue (en-AU, sv, …) reads English and never the raw message id. The web app merges
 * this into the messages of its own IntlProvider for the user's locale (actions/views/root.ts).
 */
export function translationsFor(locale: string): Catalogue {
    if (!isCockpitLocale(locale) || locale === sourceLocale) {
        return en;
    }
    let merged = withFallback.get(locale);
    if (!merged) {
        merged = {...en, ...catalogues[locale]};
        withFallback.set(locale, merged);
    }
    return merged;
}
