package rift.report;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.image.BufferedImage;

/**
 * Whether headless Java can draw text here. On a machine with no font files at all, Java's first text
 * layout throws {@code java.lang.Error: Probable fatal error: No physical fonts found}; the report then keeps
 * its tables and says how to get the plots back instead of failing.
 */
final class FontCheck {
    private FontCheck() {}

    /** What CI images need for the plots (Debian/Ubuntu package names). */
    static final String FIX = "install a font, e.g. on Debian/Ubuntu: apt-get install fontconfig fonts-dejavu-core";

    /** Null when text can be drawn; otherwise why not. */
    static String problem() {
        try {
            Font f = new Font(ChartStyle.FONT, Font.PLAIN, 12);
            new TextLayout("rift 0.1", f, new FontRenderContext(null, true, true)).getBounds();
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setFont(f);
                g.drawString("x", 1, 12);
            } finally {
                g.dispose();
            }
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            return "headless Java cannot draw text here (" + e + ")";
        }
    }
}
