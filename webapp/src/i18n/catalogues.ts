// The plugin's message catalogues: the one list of the languages the cockpit speaks. English is the source
// (every message is defined in the code with its English text, and en.json holds the same); every other
// catalogue carries the same keys (catalogues.test.ts). Keys are Mattermost's locale codes, the values a
// user's `locale` takes (contract/waves_people.ts mattermostLocales).
//
// All of them are in the one bundle file: Mattermost serves a plugin's webapp as that single file (no chunks
// to load later), and registerTranslations' getter answers synchronously.
import de from './de.json';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import ja from './ja.json';
import ko from './ko.json';
import nl from './nl.json';
import pl from './pl.json';
import ptBR from './pt-BR.json';
import zhCN from './zh-CN.json';

export type Catalogue = Readonly<Record<string, string>>;

export const sourceLocale = 'en';

export const catalogues: Readonly<Record<string, Catalogue>> = {en, de, es, fr, ja, ko, nl, pl, 'pt-BR': ptBR, 'zh-CN': zhCN};

const withFallback = new Map<string, Catalogue>();

/**
 * What `registerTranslations` hands the web app for a locale: the locale's catalogue over English, so a
 * locale without a catalogue (en-AU, sv, …) reads English and never the raw message id. The web app merges
 * this into the messages of its own IntlProvider for the user's locale (actions/views/root.ts).
 */
export function translationsFor(locale: string): Catalogue {
    if (!Object.prototype.hasOwnProperty.call(catalogues, locale) || locale === sourceLocale) {
        return en;
    }
    let merged = withFallback.get(locale);
    if (!merged) {
        merged = {...en, ...catalogues[locale]};
        withFallback.set(locale, merged);
    }
    return merged;
}
