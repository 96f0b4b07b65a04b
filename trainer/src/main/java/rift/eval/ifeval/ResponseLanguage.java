package rift.eval.ifeval;

import java.util.Locale;
import rift.kernels.RiftException;

/**
 * {@code language:response_language}: the whole response is in the given language (ISO 639-1), as judged
 * by {@link LanguageDetector} in place of langdetect. Text with no letters cannot be identified and counts
 * as followed, as in the reference.
 */
record ResponseLanguage(String language) implements Instruction {
    static ResponseLanguage of(Kwargs k) {
        k.only("language");
        String lang = PyText.strip(k.string("language")).toLowerCase(Locale.ROOT);
        if (lang.isEmpty()) throw new RiftException(k.where() + ": kwarg 'language' is blank; give an ISO 639-1 code such as de");
        return new ResponseLanguage(lang);
    }

    public String id() {
        return "language:response_language";
    }

    public boolean isFollowed(String response) {
        return LanguageDetector.detect(response).map(language::equals).orElse(true);
    }
}
