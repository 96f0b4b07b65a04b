package rift.eval.ifeval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LanguageDetectorTest {
    /** Short natural texts, one per language: every language IFEval asks for, plus English and close confusers. */
    static final Map<String, String> SAMPLES = new TreeMap<>(Map.ofEntries(
            Map.entry("en", "The quick answer is that the weather in London is usually mild, and it rains quite often during the autumn."),
            Map.entry("de", "Deutschland ist ein Land in Mitteleuropa. Ich wohne in Berlin und arbeite als Lehrer an einer Schule, die sehr groß ist."),
            Map.entry("fr", "La France est un pays d'Europe occidentale. J'habite à Paris et je travaille dans une petite entreprise qui fabrique des chaussures."),
            Map.entry("es", "España es un país muy bonito y la comida es excelente. Yo vivo en Madrid con mi familia desde hace muchos años."),
            Map.entry("pt", "O Brasil é o maior país da América do Sul. Eu moro em São Paulo e gosto muito de futebol, mas também gosto de música."),
            Map.entry("it", "L'Italia è un paese molto bello con una lunga storia. Io abito a Roma e mi piace molto la cucina italiana, soprattutto la pizza."),
            Map.entry("nl", "Nederland is een klein land in Europa. Ik woon in Amsterdam en ik fiets elke dag naar mijn werk, want dat is gezond."),
            Map.entry("fi", "Tämä on lyhyt vastaus suomeksi. Minä asun Helsingissä ja pidän kahvista, mutta en pidä kylmästä säästä. Se on totta, että talvi on pitkä."),
            Map.entry("sw", "Kiswahili ni lugha inayozungumzwa katika nchi nyingi za Afrika Mashariki. Mimi ninapenda kusoma vitabu na kuandika hadithi kwa watoto."),
            Map.entry("vi", "Việt Nam là một đất nước xinh đẹp với nhiều cảnh quan thiên nhiên. Tôi rất thích ăn phở và uống cà phê."),
            Map.entry("ru", "Россия — самая большая страна в мире. Я живу в Москве и очень люблю читать книги, которые написаны русскими писателями."),
            Map.entry("bg", "България е малка държава на Балканския полуостров. Аз живея в София и много обичам да чета книги, които са написани от български автори."),
            Map.entry("uk", "Україна — це велика країна у Східній Європі. Я живу в Києві і дуже люблю читати книжки, які написали українські письменники."),
            Map.entry("ar", "مصر دولة عربية كبيرة تقع في شمال أفريقيا. يعيش معظم السكان على ضفاف نهر النيل، وهي من أقدم الحضارات في العالم."),
            Map.entry("fa", "ایران کشوری بزرگ در خاورمیانه است و تاریخ بسیار کهنی دارد. من در تهران زندگی می‌کنم و به ادبیات فارسی علاقه دارم."),
            Map.entry("ur", "پاکستان جنوبی ایشیا کا ایک ملک ہے اور اس کا دارالحکومت اسلام آباد ہے۔ میں لاہور میں رہتا ہوں اور مجھے کتابیں پڑھنا بہت پسند ہے۔"),
            Map.entry("hi", "भारत एक विशाल देश है और इसकी संस्कृति बहुत पुरानी है। यहाँ के लोग कई भाषाएँ बोलते हैं।"),
            Map.entry("mr", "महाराष्ट्र हे भारतातील एक मोठे राज्य आहे आणि मुंबई ही त्याची राजधानी आहे. मला पुण्याचे हवामान खूप आवडते."),
            Map.entry("ne", "नेपाल एक सुन्दर देश हो र यहाँ धेरै हिमालहरू छन्। म काठमाडौंमा बस्छु र मलाई यहाँको खाना मन पर्छ।"),
            Map.entry("bn", "বাংলাদেশ একটি সুন্দর দেশ এবং এখানে অনেক নদী আছে।"),
            Map.entry("pa", "ਮੈਂ ਪੰਜਾਬ ਤੋਂ ਹਾਂ ਅਤੇ ਮੈਨੂੰ ਭੰਗੜਾ ਪਸੰਦ ਹੈ।"),
            Map.entry("gu", "ગુજરાત ભારતનું એક સુંદર રાજ્ય છે."),
            Map.entry("ta", "தமிழ் ஒரு பழமையான மொழி ஆகும்."),
            Map.entry("te", "తెలుగు భారతదేశంలోని ఒక ముఖ్యమైన భాష."),
            Map.entry("kn", "ಕರ್ನಾಟಕ ಭಾರತದ ಒಂದು ಸುಂದರ ರಾಜ್ಯವಾಗಿದೆ."),
            Map.entry("th", "ประเทศไทยเป็นประเทศที่สวยงาม และมีอาหารอร่อยมากมาย"),
            Map.entry("ko", "한국은 아름다운 나라입니다. 저는 서울에 살고 있습니다."),
            Map.entry("ja", "日本は美しい国です。私は東京に住んでいます。"),
            Map.entry("zh-cn", "中国是一个历史悠久的国家。")));

    @Test
    void everySampleIsIdentified() {
        SAMPLES.forEach((lang, text) -> assertEquals(Optional.of(lang), LanguageDetector.detect(text), lang + ": " + text));
    }

    @Test
    void caseDoesNotMatter() {
        assertEquals(Optional.of("en"), LanguageDetector.detect(SAMPLES.get("en").toUpperCase(java.util.Locale.ROOT)));
        assertEquals(Optional.of("de"), LanguageDetector.detect(SAMPLES.get("de").toUpperCase(java.util.Locale.ROOT)));
    }

    @Test
    void theMajorityScriptWinsOverEmbeddedEnglish() {
        String hindiWithTerms = "मैंने Python और Java दोनों सीखी हैं, लेकिन मुझे Python ज़्यादा पसंद है क्योंकि यह बहुत आसान है।";
        assertEquals(Optional.of("hi"), LanguageDetector.detect(hindiWithTerms));
        String englishWithAWord = "The German word Schadenfreude has no exact translation in the English language.";
        assertEquals(Optional.of("en"), LanguageDetector.detect(englishWithAWord));
    }

    @Test
    void urlsAndMailAreIgnoredAndNoLettersIsUndetectable() {
        assertEquals(Optional.empty(), LanguageDetector.detect("12345 !!! 3.14"));
        assertEquals(Optional.empty(), LanguageDetector.detect("https://example.com/abc user@example.org"));
        assertEquals(Optional.of("de"), LanguageDetector.detect("Siehe https://www.example.com/the-and-of-to und die Seite ist gut."));
    }

    @Test
    void nfdInputIsNormalised() {
        String nfd = java.text.Normalizer.normalize(SAMPLES.get("vi"), java.text.Normalizer.Form.NFD);
        assertEquals(Optional.of("vi"), LanguageDetector.detect(nfd));
    }

    /** For every language the data asks for, the real record's checker accepts that language and rejects another. */
    @Test
    void responseLanguageWithRealKwargs() {
        Map<String, Integer> byLang = IfEvalFixtures.languageRecords();
        assertEquals(22, byLang.size(), "languages in the data: " + byLang.keySet());
        Map<String, String> confuser = Map.of("hi", "mr", "mr", "ne", "ne", "hi", "ru", "bg", "bg", "ru",
                "ar", "fa", "fa", "ur", "ur", "ar", "pt", "it", "it", "pt");
        byLang.forEach((lang, key) -> {
            Instruction ins = IfEvalFixtures.instruction(key, "language:response_language");
            assertTrue(SAMPLES.containsKey(lang), "no sample for " + lang);
            assertTrue(ins.isFollowed(SAMPLES.get(lang)), lang + " sample, record " + key);
            assertFalse(ins.isFollowed(SAMPLES.get("en")), "English must fail " + lang + ", record " + key);
            String other = confuser.getOrDefault(lang, lang.equals("de") ? "nl" : "de");
            assertFalse(ins.isFollowed(SAMPLES.get(other)), other + " must fail " + lang + ", record " + key);
        });
    }
}
