/**
 * The experiment report of rift: what the paper (arXiv:2507.00432; shared/docs/paper.md §1, §4, §5) measures,
 * shown for one run.
 *
 * <ul>
 *   <li>{@link rift.report.ReportData} and its records are the input; the experiment runner fills them.</li>
 *   <li>{@link rift.report.ReportWriter} writes {@code index.html}, {@code report.md} and the charts
 *       ({@code img/*.png}, {@code img/*.svg}) atomically into a report folder.</li>
 *   <li>{@link rift.report.ConsoleSummary} is the table {@code rift experiment} prints at the end.</li>
 * </ul>
 *
 * <p>Inside: {@code Summary} reduces the data to per-seed numbers and their spread, {@code Direction} compares
 * RL arms with SFT arms on TI_other, TI_non, token KL and PCA d, {@code Charts}/{@code BarPlot} build XChart
 * charts, {@code ReportDocument} lays the sections out as {@code Doc} blocks, and the HTML and Markdown
 * renderers print the same blocks.
 *
 * <p>Charts need one font that headless Java can load (on Debian/Ubuntu: {@code fontconfig fonts-dejavu-core});
 * without any, the report is still written, with its tables and a note saying why the plots are missing.
 */
package rift.report;
