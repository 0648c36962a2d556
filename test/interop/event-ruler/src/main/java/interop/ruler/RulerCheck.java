package interop.ruler;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import software.amazon.event.ruler.Machine;

/**
 * Reads "pattern TAB event" lines (JSON texts) on stdin and prints one answer per line: "match", "miss", or
 * "refused" and Event Ruler's reason when it does not accept the pattern or the event.
 */
public final class RulerCheck {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    for (String line; (line = in.readLine()) != null; ) {
      int tab = line.indexOf('\t');
      try {
        Machine machine = new Machine();
        machine.addRule("rule", line.substring(0, tab));
        out.append(machine.rulesForJSONEvent(line.substring(tab + 1)).isEmpty() ? "miss" : "match");
      } catch (Exception e) {
        out.append("refused ").append(String.valueOf(e.getMessage()).replace('\n', ' '));
      }
      out.append('\n');
    }
    System.out.print(out);
    System.out.flush();
  }
}
