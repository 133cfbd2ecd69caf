package io.silt.storage.log;

import java.util.regex.Pattern;

/** Topic (and group) name rules, as Kafka's: {@code [A-Za-z0-9._-]{1,200}}, and not {@code .} or {@code ..}. */
public final class TopicNames {
    public static final int MAX_LENGTH = 200;
    private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

    private TopicNames() {}

    /**
     * @throws InvalidNameException naming the rule that {@code name} breaks
     */
    public static String validate(String kind, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidNameException(kind + " name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidNameException(kind + " name is " + name.length() + " characters long; the limit is "
                    + MAX_LENGTH);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new InvalidNameException(kind + " name cannot be '" + name + "'");
        }
        if (!LEGAL.matcher(name).matches()) {
            int bad = name.codePoints().filter(c -> !(c < 128 && (Character.isLetterOrDigit(c) || c == '.'
                    || c == '_' || c == '-'))).findFirst().orElse('?');
            throw new InvalidNameException(kind + " name '" + printable(name) + "' contains '"
                    + printable(new String(Character.toChars(bad))) + "'; use only ASCII letters, digits, '.', '_' and '-'");
        }
        return name;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(60).forEach(c -> {
            if (Character.isISOControl(c) || c > 0x7e) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
