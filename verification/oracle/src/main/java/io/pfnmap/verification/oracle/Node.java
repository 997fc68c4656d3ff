package io.pfnmap.verification.oracle;

/**
 * A request's JSON value as the decoders read it, built by {@link LineParser} from Jackson's
 * tokens. Not Jackson's own tree: numbers keep their literal as written, so that {@code -0},
 * {@code 4096.0} and {@code 1E3} can be refused as u64s and named in the message, and a repeated
 * {@code "mm"}/{@code "vmas"} can be the very same instance, which keys the decoders' caches.
 */
record Node(Kind kind, String text, String[] names, Node[] items, ScannedVmas scanned) {

    enum Kind {
        OBJECT("object"), ARRAY("array"), STRING("string"), NUMBER("number"), BOOLEAN("boolean"), NULL("null");

        final String typeName;

        Kind(String typeName) {
            this.typeName = typeName;
        }
    }

    static final Node TRUE = new Node(Kind.BOOLEAN, "true", null, null);
    static final Node FALSE = new Node(Kind.BOOLEAN, "false", null, null);
    static final Node NULL = new Node(Kind.NULL, "null", null, null);

    Node(Kind kind, String text, String[] names, Node[] items) {
        this(kind, text, names, items, null);
    }

    /**
     * A {@code "vmas"} array read by {@link ScannedVmas#scan} instead of Jackson: its VMAs already
     * decoded; its items built (by Jackson, from the same bytes) only if a decoder asks for them.
     */
    static Node of(ScannedVmas scanned) {
        return new Node(Kind.ARRAY, null, null, null, scanned);
    }

    /** The items of an array read by the scanner, parsed on first use; else this node's own. */
    private Node[] all() {
        return scanned == null ? items : scanned.tree().items;
    }

    String typeName() {
        return kind.typeName;
    }

    boolean is(Kind k) {
        return kind == k;
    }

    int size() {
        return all().length;
    }

    String name(int i) {
        return names[i];
    }

    Node item(int i) {
        return all()[i];
    }

    /** The member called {@code name} of an object, or null. */
    Node get(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return items[i];
            }
        }
        return null;
    }

    /** A number without fraction or exponent. */
    boolean isInteger() {
        return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
    }
}
