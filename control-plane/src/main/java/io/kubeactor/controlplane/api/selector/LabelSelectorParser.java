package io.kubeactor.controlplane.api.selector;

import io.kubeactor.controlplane.api.selector.LabelSelector.InvalidSelector;
import io.kubeactor.controlplane.api.selector.LabelSelector.Operator;
import io.kubeactor.controlplane.api.selector.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The label selector grammar of apimachinery's pkg/labels/selector.go: a lexer that turns the text
 * into tokens, and a recursive-descent parser over them. It follows Kubernetes step by step, because
 * clients see its error messages and which inputs it accepts ("x in (a,,b)", "x=", a key named
 * "in").
 */
final class LabelSelectorParser {

  private enum Token {
    ERROR, END, CLOSE_PAREN, COMMA, NOT, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER, IN,
    LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAREN
  }

  private static final Map<String, Token> TOKENS = Map.ofEntries(
      Map.entry(")", Token.CLOSE_PAREN), Map.entry(",", Token.COMMA), Map.entry("!", Token.NOT),
      Map.entry("==", Token.DOUBLE_EQUALS), Map.entry("=", Token.EQUALS), Map.entry(">", Token.GREATER_THAN),
      Map.entry("in", Token.IN), Map.entry("<", Token.LESS_THAN), Map.entry("!=", Token.NOT_EQUALS),
      Map.entry("notin", Token.NOT_IN), Map.entry("(", Token.OPEN_PAREN));

  /** The binary operators in the order Kubernetes lists them in "expected: ..." messages. */
  private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

  private record Item(Token token, String literal) {}

  /**
   * Where a token is read: after a key, "in" and "notin" are operators; where a key or value is
   * expected they are plain words.
   */
  private enum Context { KEY_AND_OPERATOR, VALUES }

  private final String text;
  private int position; // of the lexer in text
  private final List<Item> items = new ArrayList<>();
  private int next; // of the parser in items

  LabelSelectorParser(String text) {
    this.text = text;
  }

  // ---- lexer

  /** The next character, or 0 at the end (Go's lexer also stops at a NUL). */
  private char read() {
    return position < text.length() ? text.charAt(position++) : 0;
  }

  private void unread() {
    position--;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isSpecial(char c) {
    return switch (c) {
      case '=', '!', '(', ')', ',', '>', '<' -> true;
      default -> false;
    };
  }

  private Item lex() {
    char c = read();
    while (isWhitespace(c)) c = read();
    if (c == 0) return new Item(Token.END, "");
    unread();
    return isSpecial(c) ? scanSymbol() : scanWord();
  }

  private Item scanWord() {
    StringBuilder word = new StringBuilder();
    for (char c = read(); c != 0; c = read()) {
      if (isSpecial(c) || isWhitespace(c)) {
        unread();
        break;
      }
      word.append(c);
    }
    String s = word.toString();
    Token keyword = TOKENS.get(s);
    return new Item(keyword != null ? keyword : Token.IDENTIFIER, s);
  }

  /** The longest run of symbol characters that is an operator ("!=" rather than "!"). */
  private Item scanSymbol() {
    StringBuilder symbols = new StringBuilder();
    Item longest = null;
    for (char c = read(); c != 0; c = read()) {
      if (!isSpecial(c)) {
        unread();
        break;
      }
      symbols.append(c);
      Token token = TOKENS.get(symbols.toString());
      if (token != null) {
        longest = new Item(token, symbols.toString());
      } else if (longest != null) {
        unread();
        break;
      }
    }
    return longest != null ? longest : new Item(Token.ERROR, "error expected: keyword found '" + symbols + "'");
  }

  // ---- parser

  private Item lookahead(Context context) {
    return inContext(items.get(next), context);
  }

  private Item consume(Context context) {
    return inContext(items.get(next++), context);
  }

  private static Item inContext(Item item, Context context) {
    boolean keyword = item.token == Token.IN || item.token == Token.NOT_IN;
    return context == Context.VALUES && keyword ? new Item(Token.IDENTIFIER, item.literal) : item;
  }

  private static InvalidSelector error(String format, Object... args) {
    return new InvalidSelector(String.format(format, args));
  }

  /** The requirements in the order written; the selector sorts them. */
  List<Requirement> parse() {
    Item item;
    do {
      item = lex();
      items.add(item);
    } while (item.token != Token.END);

    List<Requirement> requirements = new ArrayList<>();
    while (true) {
      Item ahead = lookahead(Context.VALUES);
      switch (ahead.token) {
        case IDENTIFIER, NOT -> {
          try {
            requirements.add(parseRequirement());
          } catch (InvalidSelector e) {
            throw error("unable to parse requirement: %s", e.getMessage());
          }
          Item after = consume(Context.VALUES);
          switch (after.token) {
            case END -> {
              return requirements;
            }
            case COMMA -> {
              Item following = lookahead(Context.VALUES);
              if (following.token != Token.IDENTIFIER && following.token != Token.NOT) {
                throw error("found '%s', expected: identifier after ','", following.literal);
              }
            }
            default -> throw error("found '%s', expected: ',' or 'end of string'", after.literal);
          }
        }
        case END -> {
          return requirements;
        }
        default -> throw error("found '%s', expected: !, identifier, or 'end of string'", ahead.literal);
      }
    }
  }

  private Requirement parseRequirement() {
    Item first = consume(Context.VALUES);
    boolean negated = first.token == Token.NOT;
    Item key = negated ? consume(Context.VALUES) : first;
    if (key.token != Token.IDENTIFIER) throw error("found '%s', expected: identifier", key.literal);
    List<String> keyErrors = LabelRules.keyErrors(key.literal);
    if (!keyErrors.isEmpty()) {
      throw new InvalidSelector(LabelRules.invalid("<nil>", LabelRules.quote(key.literal), String.join("; ", keyErrors)));
    }
    // "!key" stands alone; a bare "key" before ',' or the end means it must exist.
    if (negated) return Requirement.of(key.literal, Operator.DOES_NOT_EXIST, List.of());
    Token ahead = lookahead(Context.VALUES).token;
    if (ahead == Token.END || ahead == Token.COMMA) return Requirement.of(key.literal, Operator.EXISTS, List.of());

    Operator operator = parseOperator();
    TreeSet<String> values = switch (operator) {
      case IN, NOT_IN -> parseValueSet();
      default -> parseExactValue();
    };
    return Requirement.of(key.literal, operator, List.copyOf(values));
  }

  private Operator parseOperator() {
    Item item = consume(Context.KEY_AND_OPERATOR);
    return switch (item.token) {
      case IN -> Operator.IN;
      case EQUALS -> Operator.EQUALS;
      case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
      case GREATER_THAN -> Operator.GREATER_THAN;
      case LESS_THAN -> Operator.LESS_THAN;
      case NOT_IN -> Operator.NOT_IN;
      case NOT_EQUALS -> Operator.NOT_EQUALS;
      default -> throw error("found '%s', expected: %s", item.literal, BINARY_OPERATORS);
    };
  }

  /** "(a,b)"; an empty slot, as in "()" or "(a,)", is the empty value. */
  private TreeSet<String> parseValueSet() {
    Item open = consume(Context.VALUES);
    if (open.token != Token.OPEN_PAREN) throw error("found '%s' expected: '('", open.literal);
    Item ahead = lookahead(Context.VALUES);
    switch (ahead.token) {
      case IDENTIFIER, COMMA -> {
        TreeSet<String> values = parseValueList();
        // Kubernetes names the token that opened the list here, not the one it found.
        if (consume(Context.VALUES).token != Token.CLOSE_PAREN) {
          throw error("found '%s', expected: ')'", ahead.literal);
        }
        return values;
      }
      case CLOSE_PAREN -> {
        consume(Context.VALUES);
        return new TreeSet<>(List.of(""));
      }
      default -> throw error("found '%s', expected: ',', ')' or identifier", ahead.literal);
    }
  }

  private TreeSet<String> parseValueList() {
    TreeSet<String> values = new TreeSet<>();
    while (true) {
      Item item = consume(Context.VALUES);
      switch (item.token) {
        case IDENTIFIER -> {
          values.add(item.literal);
          Item ahead = lookahead(Context.VALUES);
          switch (ahead.token) {
            case COMMA -> {}
            case CLOSE_PAREN -> {
              return values;
            }
            default -> throw error("found '%s', expected: ',' or ')'", ahead.literal);
          }
        }
        case COMMA -> {
          if (values.isEmpty()) values.add(""); // "(,"
          Token ahead = lookahead(Context.VALUES).token;
          if (ahead == Token.CLOSE_PAREN) {
            values.add(""); // ",)"
            return values;
          }
          if (ahead == Token.COMMA) values.add(""); // ",,"
        }
        default -> throw error("found '%s', expected: ',', or identifier", item.literal);
      }
    }
  }

  /** The one value after "=", "==", "!=", "&gt;" or "&lt;"; nothing there is the empty value. */
  private TreeSet<String> parseExactValue() {
    Token ahead = lookahead(Context.VALUES).token;
    if (ahead == Token.END || ahead == Token.COMMA) return new TreeSet<>(List.of(""));
    Item item = consume(Context.VALUES);
    if (item.token != Token.IDENTIFIER) throw error("found '%s', expected: identifier", item.literal);
    return new TreeSet<>(List.of(item.literal));
  }
}
