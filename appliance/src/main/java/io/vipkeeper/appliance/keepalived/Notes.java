package io.vipkeeper.appliance.keepalived;

import java.util.ArrayList;
import java.util.List;

/**
 * What an import has to tell the operator, in file order of discovery, each as
 * {@code FILE:LINE: keyword: text}. Left-out keywords make the import incomplete (exit 3); a
 * fallback (keepalived silently running something other than the file says, which the import keeps)
 * and a note are information only. Texts never contain secrets: callers pass the keyword, not its
 * value.
 */
public final class Notes {
    /** How much a note matters to the exit status. */
    public enum Kind {
        /** Not carried over; the text says what to do instead. */
        LEFT_OUT,
        /** keepalived runs something other than what the line says; the import keeps what it runs. */
        FALLBACK,
        /** Carried, with a difference worth knowing. */
        NOTE
    }

    /** One report line. */
    public record Note(Origin origin, String keyword, Kind kind, String text) {
        @Override
        public String toString() {
            String prefix = kind == Kind.FALLBACK ? "keepalived falls back: " : kind == Kind.NOTE ? "note: " : "";
            return origin + ": " + keyword + ": " + prefix + text;
        }
    }

    private final List<Note> notes = new ArrayList<>();

    /** {@code keyword} at {@code origin} is not carried; {@code instead} says what to do. */
    public void leftOut(Origin origin, String keyword, String instead) {
        notes.add(new Note(origin, keyword, Kind.LEFT_OUT, instead));
    }

    /** keepalived runs something else than the line says; the import carries what keepalived runs. */
    public void fallback(Origin origin, String keyword, String text) {
        notes.add(new Note(origin, keyword, Kind.FALLBACK, text));
    }

    /** Carried, but worth a word. */
    public void note(Origin origin, String keyword, String text) {
        notes.add(new Note(origin, keyword, Kind.NOTE, text));
    }

    /** Every note so far, in file and line order (the import discovers them section by section). */
    public List<Note> all() {
        return notes.stream().sorted(java.util.Comparator.comparing((Note n) -> n.origin().file().toString())
                .thenComparingInt(n -> n.origin().line())).toList();
    }

    /** Whether something was left out (exit 3). */
    public boolean anyLeftOut() {
        return notes.stream().anyMatch(n -> n.kind() == Kind.LEFT_OUT);
    }
}
