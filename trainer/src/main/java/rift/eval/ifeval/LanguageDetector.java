package rift.eval.ifeval;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small, deterministic language identifier for IFEval's language checks (the reference uses the Python
 * {@code langdetect} package, a character n-gram naive Bayes model with a random seed, which has no Java
 * counterpart here). Codes are ISO 639-1 as langdetect returns them.
 *
 * <p>Method:
 * <ol>
 *   <li>Normalise to NFC, drop URLs and e-mail addresses (langdetect does too), lowercase.</li>
 *   <li>Count letters per Unicode script; the script with the most letters wins (so a Hindi answer with a
 *       few English terms is Devanagari). No letters at all: undetectable ({@link Optional#empty()}; the
 *       reference then counts the instruction as followed).</li>
 *   <li>Scripts used by one language map straight to it: Thai th, Hangul ko, Gurmukhi pa, Gujarati gu,
 *       Bengali bn, Tamil ta, Telugu te, Kannada kn, Malayalam ml, Hebrew he, Greek el; Han with any kana
 *       ja, Han alone zh-cn.</li>
 *   <li>Scripts shared by several languages are decided by stop-word profiles (the most frequent function
 *       words of each language; a word listed for k of the competing languages adds 1/k to each) plus a few
 *       letters that only one of them uses (each occurrence adds {@value #LETTER_WEIGHT}):
 *       Latin: en de fr es pt it nl fi sw vi (Vietnamese tone letters); Cyrillic: ru bg uk (ы э ё -> ru,
 *       і ї є ґ -> uk, ъ -> bg); Arabic: ar fa ur (ة ي ك ى -> ar, ٹ ڈ ڑ ں ے ھ ہ -> ur, پ چ ژ گ ی ک -> fa);
 *       Devanagari: hi mr ne (ळ -> mr). With no evidence at all the script's most common language is
 *       returned (en, ru, ar, hi).</li>
 * </ol>
 * The profiles cover every language in IFEval's {@code language:response_language} kwargs (ar bg bn de fa
 * fi gu hi it kn ko mr ne pa pt ru sw ta te th ur vi) plus English and the commonest confusers.
 */
public final class LanguageDetector {
    private LanguageDetector() {}

    static final double LETTER_WEIGHT = 0.5;

    private static final Pattern URL = Pattern.compile("https?://[-_.?&~;+=/#0-9A-Za-z%:]{1,2048}|www\\.[-_.?&~;+=/#0-9A-Za-z%:]{1,2048}");
    private static final Pattern MAIL = Pattern.compile("[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}");

    private enum Script { LATIN, CYRILLIC, ARABIC, DEVANAGARI, CJK, HANGUL, THAI, GURMUKHI, GUJARATI, BENGALI, TAMIL,
        TELUGU, KANNADA, MALAYALAM, HEBREW, GREEK, OTHER }

    private static final Map<Script, String> SINGLE = Map.ofEntries(
            Map.entry(Script.HANGUL, "ko"), Map.entry(Script.THAI, "th"), Map.entry(Script.GURMUKHI, "pa"),
            Map.entry(Script.GUJARATI, "gu"), Map.entry(Script.BENGALI, "bn"), Map.entry(Script.TAMIL, "ta"),
            Map.entry(Script.TELUGU, "te"), Map.entry(Script.KANNADA, "kn"), Map.entry(Script.MALAYALAM, "ml"),
            Map.entry(Script.HEBREW, "he"), Map.entry(Script.GREEK, "el"));

    private record Profile(String lang, Set<String> stopWords, String letters) {}

    private static Profile p(String lang, String words, String letters) {
        return new Profile(lang, Set.of(words.split(" ")), letters);
    }

    /** Per shared script, the competing languages; the first is the fallback. */
    private static final Map<Script, List<Profile>> PROFILES = new EnumMap<>(Map.of(
            Script.LATIN, List.of(
                    p("en", "the and of to in is it that for you was with on as are be this have at or by not but from they"
                            + " we an which can your will all has were there their what would about if more when been who so do"
                            + " he she my me our how these than them its also into some just like only other should i", ""),
                    p("de", "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden"
                            + " aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur"
                            + " oder aber vor zur bis mehr durch man sein wurde ich wir ihr kann können diese dieser wenn was uns"
                            + " sehr mein ihre unsere", "ß"),
                    p("fr", "de la le et les des en un du une que est pour qui dans par plus pas au sur ne se ce il sont mais ou"
                            + " avec aux son sa ses cette ont été nous vous je elle ils on comme tout leur leurs même aussi bien fait"
                            + " être avoir peut très sans dont ces était ai mon ma mes notre votre lui quand où", "œ"),
                    p("es", "de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o este sí"
                            + " porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante todos"
                            + " uno les ni contra otros ese eso ante ellos esto antes algunos qué unos yo otro otras otra él tanto esa"
                            + " estos mucho nada muchos cual poco ella estar estas algo nosotros es son está fue ser tiene puede", "ñ¿¡"),
                    p("pt", "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à"
                            + " seu sua ou ser quando muito há nos já está eu também só pelo pela até isso ela entre era depois sem"
                            + " mesmo aos ter seus quem nas me esse eles estão você tinha foram essa num nem suas meu às minha têm"
                            + " numa pelos elas havia seja qual será nós tenho lhe deles essas esses pelas este dele são ainda então"
                            + " porque", "ãõ"),
                    p("it", "di e il la che a per un in è del non una le si da i con della gli al sono come lo anche ma dei nel"
                            + " alla più ha delle o se questo essere ci suo sua quando molto tra dal nella degli hanno ho mi ti noi"
                            + " voi loro questa quello cosa tutto ancora perché però così sempre fare dopo già solo sul sulla agli"
                            + " dalla negli uno ogni mio", ""),
                    p("nl", "de en van het een in is dat op te zijn met voor niet die aan er maar om ook als dan bij of uit nog"
                            + " wat naar door over ze zich hij wordt werd tot kan deze dit wel geen worden meer heeft hebben al ik"
                            + " je we wij zo haar hun mijn jij u zou", ""),
                    p("fi", "ja on ei se että oli hän mutta kun niin myös ovat kuin tai ole sen jos joka mitä tämä voi vain olla"
                            + " nyt sitten minä sinä me te he ne jo vielä kanssa jälkeen koska siis jotka ollut olen olet olemme"
                            + " hyvin paljon aina kaikki tässä siitä sitä tämän näin mikä kuinka miten missä sekä eli jossa joita"
                            + " sille meidän teidän heidän minun sinun hänen niiden ennen yli kuten tulee voit pitää", ""),
                    p("sw", "na ya wa kwa ni za la katika kuwa hii cha au kama lakini pia yake wake hiyo sana kwamba hizo huo"
                            + " hayo ili bila hadi kutoka baada kabla kila zaidi yao wao sisi wewe mimi yeye nini gani vya vile"
                            + " hivyo ambayo ambao ambaye si tu hata kwenye mtu watu sasa leo kuna hakuna ndiyo hapana", ""),
                    p("vi", "và của là có không được những các một người trong cho với này đã để khi như từ đến cũng thì về sẽ"
                            + " ra nhưng còn nhiều đó vào rất tôi bạn chúng họ nó lại nên hay hơn vì mà theo sau trên nếu làm đi"
                            + " năm nhà việc cách phải đang",
                            "ăđơư" + range(0x1EA0, 0x1EF9))),
            Script.CYRILLIC, List.of(
                    p("ru", "и в не на я что с он как а то это по но все она так его к у же вы за бы из мы от для ещё еще только"
                            + " или уже было был была были есть их чтобы когда очень также этот эта эти который которые можно нужно"
                            + " если может быть вам нас нет да при о до", "ыэё"),
                    p("bg", "и в на е се да за не от че с това са като по но ще до му си ги я ли ако или има беше бил които която"
                            + " който което тази този тези при след много може трябва вие ние те той тя то ни ви сме сте съм нещо"
                            + " всички така също още само когато защото без към през", "ъ"),
                    p("uk", "і й в у на не що з як це та до за від по а але він вона воно вони ми ви я ти його її їх для або"
                            + " також ще вже було був була були є бути може можна тому коли якщо який яка які цей ця ці дуже так"
                            + " ні щоб при про після без через", "іїєґ")),
            Script.ARABIC, List.of(
                    p("ar", "في من على إلى أن التي الذي عن مع هذا هذه كان لا ما هو هي ذلك كل بين أو قد لم لقد بعد عند حتى إن"
                            + " كانت ثم أي لكن أيضا هناك يمكن تم غير", "ةيكى"),
                    p("fa", "و در به از که این را با است برای آن یک خود تا بر هم نیز می شود شد کرد کند ها های ما شما او آنها"
                            + " بود باشد دارد اما یا هر چه اگر همه وجود پس بسیار خیلی هست نیست", "پچژگیک"),
                    p("ur", "کے کی ہے میں اور کا سے کو نے یہ ہیں پر کہ وہ ایک بھی تھا تھی تھے ہو کر جو گیا اس ان لیے کیا ہوں آپ"
                            + " ہم نہیں بہت کچھ اپنے جب تک ساتھ", "ٹڈڑںےھۓہ")),
            Script.DEVANAGARI, List.of(
                    p("hi", "का की के में है और को से पर यह एक हैं था थी थे कि भी नहीं तो ही लिए हो कर गया इस उस वह जो अपने साथ"
                            + " कुछ या हम आप मैं बहुत सकते होता होती किया रहा रही जा जब तक अब द्वारा", ""),
                    p("mr", "आणि आहे या व की हे ते त्या मी तो ती आहेत होते होता होती केले करून पण म्हणून तर नाही एक हा ही"
                            + " त्यांच्या त्याच्या मध्ये साठी आपण तुम्ही आम्ही असे असून आता काही खूप सर्व झाले जे जी ज्या कसे"
                            + " पुढे", "ळ"),
                    p("ne", "र छ छन् हो को मा ले लाई पनि यो त्यो गर्न गरेको भएको थियो हुन्छ गर्दछ तर एक यस उनी म हामी तपाईं"
                            + " धेरै सबै अनि भने हुने भन्दा साथ लागि गरे छैन रहेको नै कि वा जस्तै पछि", ""))));

    private static String range(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int c = from; c <= to; c++) sb.appendCodePoint(c);
        return sb.toString();
    }

    /** The language of {@code text}, or empty when it has no letters (langdetect's "no features"). */
    public static Optional<String> detect(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFC);
        t = MAIL.matcher(URL.matcher(t).replaceAll(" ")).replaceAll(" ");
        t = PyText.lower(t);

        Map<Script, Integer> letters = new EnumMap<>(Script.class);
        boolean kana = false;
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isLetter(cp)) continue;
            Character.UnicodeScript us = Character.UnicodeScript.of(cp);
            kana |= us == Character.UnicodeScript.HIRAGANA || us == Character.UnicodeScript.KATAKANA;
            letters.merge(script(us), 1, Integer::sum);
        }
        if (letters.isEmpty()) return Optional.empty();
        Script best = null;
        for (var e : letters.entrySet()) {
            if (best == null || e.getValue() > letters.get(best)) best = e.getKey(); // EnumMap order breaks ties
        }
        if (best == Script.CJK) return Optional.of(kana ? "ja" : "zh-cn");
        if (SINGLE.containsKey(best)) return Optional.of(SINGLE.get(best));
        List<Profile> profiles = PROFILES.get(best);
        if (profiles == null) return Optional.of("unknown");
        return Optional.of(bestProfile(t, profiles));
    }

    private static Map<String, Double> scores(String lowerText, List<Profile> profiles) {
        Map<String, Double> score = new LinkedHashMap<>();
        for (Profile p : profiles) score.put(p.lang(), 0.0);
        for (String word : words(lowerText)) {
            int k = 0;
            for (Profile p : profiles) if (p.stopWords().contains(word)) k++;
            if (k == 0) continue;
            for (Profile p : profiles) if (p.stopWords().contains(word)) score.merge(p.lang(), 1.0 / k, Double::sum);
        }
        for (int i = 0; i < lowerText.length(); ) {
            int cp = lowerText.codePointAt(i);
            i += Character.charCount(cp);
            for (Profile p : profiles) {
                if (p.letters().indexOf(cp) >= 0) score.merge(p.lang(), LETTER_WEIGHT, Double::sum);
            }
        }
        return score;
    }

    private static String bestProfile(String lowerText, List<Profile> profiles) {
        Map<String, Double> score = scores(lowerText, profiles);
        String best = profiles.get(0).lang();
        for (var e : score.entrySet()) if (e.getValue() > score.get(best)) best = e.getKey();
        return best;
    }

    /** Runs of letters and combining marks; zero-width joiners and everything else separate words. */
    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (Character.isLetter(cp) || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                    || type == Character.ENCLOSING_MARK) {
                w.appendCodePoint(cp);
            } else if (!w.isEmpty()) {
                out.add(w.toString());
                w.setLength(0);
            }
        }
        if (!w.isEmpty()) out.add(w.toString());
        return out;
    }

    private static Script script(Character.UnicodeScript us) {
        return switch (us) {
            case LATIN -> Script.LATIN;
            case CYRILLIC -> Script.CYRILLIC;
            case ARABIC -> Script.ARABIC;
            case DEVANAGARI -> Script.DEVANAGARI;
            case HAN, HIRAGANA, KATAKANA -> Script.CJK;
            case HANGUL -> Script.HANGUL;
            case THAI -> Script.THAI;
            case GURMUKHI -> Script.GURMUKHI;
            case GUJARATI -> Script.GUJARATI;
            case BENGALI -> Script.BENGALI;
            case TAMIL -> Script.TAMIL;
            case TELUGU -> Script.TELUGU;
            case KANNADA -> Script.KANNADA;
            case MALAYALAM -> Script.MALAYALAM;
            case HEBREW -> Script.HEBREW;
            case GREEK -> Script.GREEK;
            default -> Script.OTHER;
        };
    }
}
