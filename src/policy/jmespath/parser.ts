/**
 * A Pratt parser for JMESPath, following the grammar and binding powers of the reference
 * implementations (jmespath.js / go-jmespath) so precedence matches what Kyverno evaluates.
 */
import { JmesPathError } from "./errors.js";
import { tokenize, type Token, type TokenType } from "./lexer.js";

export type Node =
  | { type: "Field"; name: string }
  | { type: "Subexpression"; left: Node; right: Node }
  | { type: "IndexExpression"; left: Node; right: Node }
  | { type: "Index"; index: number }
  | { type: "Slice"; start: number | null; stop: number | null; step: number | null }
  | { type: "Projection"; left: Node; right: Node }
  | { type: "ValueProjection"; left: Node; right: Node }
  | { type: "FilterProjection"; left: Node; right: Node; condition: Node }
  | { type: "Flatten"; child: Node }
  | { type: "Identity" }
  | { type: "Current" }
  | { type: "Literal"; value: unknown }
  | { type: "MultiSelectList"; children: Node[] }
  | { type: "MultiSelectHash"; pairs: { key: string; value: Node }[] }
  | { type: "Or"; left: Node; right: Node }
  | { type: "And"; left: Node; right: Node }
  | { type: "Not"; child: Node }
  | { type: "Comparator"; op: "EQ" | "NE" | "LT" | "LTE" | "GT" | "GTE"; left: Node; right: Node }
  | { type: "Pipe"; left: Node; right: Node }
  | { type: "Function"; name: string; args: Node[] }
  | { type: "ExpressionReference"; child: Node };

const BINDING: Record<TokenType, number> = {
  EOF: 0,
  UnquotedIdentifier: 0,
  QuotedIdentifier: 0,
  Rbracket: 0,
  Rparen: 0,
  Comma: 0,
  Rbrace: 0,
  Number: 0,
  Current: 0,
  Expref: 0,
  Colon: 0,
  Literal: 0,
  Pipe: 1,
  Or: 2,
  And: 3,
  EQ: 5,
  NE: 5,
  LT: 5,
  LTE: 5,
  GT: 5,
  GTE: 5,
  Flatten: 9,
  Star: 20,
  Filter: 21,
  Dot: 40,
  Not: 45,
  Lbrace: 50,
  Lbracket: 55,
  Lparen: 60,
};

const IDENTITY: Node = { type: "Identity" };

export function parse(expression: string): Node {
  return new Parser(tokenize(expression), expression).parseAll();
}

class Parser {
  private pos = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parseAll(): Node {
    const node = this.expression(0);
    if (this.peek() !== "EOF") this.fail(`unexpected token ${JSON.stringify(this.token().value)}`);
    return node;
  }

  private token(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private peek(offset = 0): TokenType {
    return this.token(offset).type;
  }

  private advance(): void {
    this.pos++;
  }

  private match(type: TokenType): void {
    if (this.peek() !== type) this.fail(`expected ${type}, found ${this.peek()}`);
    this.advance();
  }

  private fail(message: string): never {
    throw new JmesPathError(`syntax error in ${JSON.stringify(this.source)} at ${this.token().start}: ${message}`);
  }

  private expression(rbp: number): Node {
    const token = this.token();
    this.advance();
    let left = this.nud(token);
    while (rbp < BINDING[this.peek()]) {
      const next = this.token();
      this.advance();
      left = this.led(next, left);
    }
    return left;
  }

  private nud(token: Token): Node {
    switch (token.type) {
      case "Literal":
        return { type: "Literal", value: token.value };
      case "UnquotedIdentifier":
        return { type: "Field", name: token.value as string };
      case "QuotedIdentifier":
        if (this.peek() === "Lparen") this.fail("quoted identifier not allowed for function names");
        return { type: "Field", name: token.value as string };
      case "Not":
        return { type: "Not", child: this.expression(BINDING.Not) };
      case "Star": {
        const right = this.peek() === "Rbracket" ? IDENTITY : this.projectionRhs(BINDING.Star);
        return { type: "ValueProjection", left: IDENTITY, right };
      }
      case "Filter":
        return this.led(token, IDENTITY);
      case "Lbrace":
        return this.multiSelectHash();
      case "Flatten":
        return { type: "Projection", left: { type: "Flatten", child: IDENTITY }, right: this.projectionRhs(BINDING.Flatten) };
      case "Lbracket":
        if (this.peek() === "Number" || this.peek() === "Colon") return this.projectIfSlice(IDENTITY, this.indexExpression());
        if (this.peek() === "Star" && this.peek(1) === "Rbracket") {
          this.advance();
          this.advance();
          return { type: "Projection", left: IDENTITY, right: this.projectionRhs(BINDING.Star) };
        }
        return this.multiSelectList();
      case "Current":
        return { type: "Current" };
      case "Expref":
        return { type: "ExpressionReference", child: this.expression(BINDING.Expref) };
      case "Lparen": {
        const inner = this.expression(0);
        this.match("Rparen");
        return inner;
      }
      default:
        return this.fail(`unexpected token ${token.type}`);
    }
  }

  private led(token: Token, left: Node): Node {
    switch (token.type) {
      case "Dot":
        if (this.peek() !== "Star") return { type: "Subexpression", left, right: this.dotRhs(BINDING.Dot) };
        this.advance();
        return { type: "ValueProjection", left, right: this.projectionRhs(BINDING.Dot) };
      case "Pipe":
        return { type: "Pipe", left, right: this.expression(BINDING.Pipe) };
      case "Or":
        return { type: "Or", left, right: this.expression(BINDING.Or) };
      case "And":
        return { type: "And", left, right: this.expression(BINDING.And) };
      case "Lparen": {
        if (left.type !== "Field") this.fail("function name expected before (");
        const args: Node[] = [];
        while (this.peek() !== "Rparen") {
          args.push(this.expression(0));
          if (this.peek() === "Comma") this.match("Comma");
        }
        this.match("Rparen");
        return { type: "Function", name: left.name, args };
      }
      case "Filter": {
        const condition = this.expression(0);
        this.match("Rbracket");
        const right = this.peek() === "Flatten" ? IDENTITY : this.projectionRhs(BINDING.Filter);
        return { type: "FilterProjection", left, right, condition };
      }
      case "Flatten":
        return { type: "Projection", left: { type: "Flatten", child: left }, right: this.projectionRhs(BINDING.Flatten) };
      case "EQ":
      case "NE":
      case "LT":
      case "LTE":
      case "GT":
      case "GTE":
        return { type: "Comparator", op: token.type, left, right: this.expression(BINDING[token.type]) };
      case "Lbracket": {
        if (this.peek() === "Number" || this.peek() === "Colon") return this.projectIfSlice(left, this.indexExpression());
        this.match("Star");
        this.match("Rbracket");
        return { type: "Projection", left, right: this.projectionRhs(BINDING.Star) };
      }
      default:
        return this.fail(`unexpected token ${token.type}`);
    }
  }

  private indexExpression(): Node {
    if (this.peek() === "Colon" || this.peek(1) === "Colon") return this.sliceExpression();
    const index = this.token().value as number;
    this.match("Number");
    this.match("Rbracket");
    return { type: "Index", index };
  }

  private sliceExpression(): Node {
    const parts: (number | null)[] = [null, null, null];
    let index = 0;
    while (this.peek() !== "Rbracket" && index < 3) {
      if (this.peek() === "Colon") {
        index++;
        this.advance();
      } else if (this.peek() === "Number") {
        parts[index] = this.token().value as number;
        this.advance();
      } else {
        this.fail("invalid slice");
      }
    }
    this.match("Rbracket");
    return { type: "Slice", start: parts[0]!, stop: parts[1]!, step: parts[2]! };
  }

  private projectIfSlice(left: Node, right: Node): Node {
    const indexExpr: Node = { type: "IndexExpression", left, right };
    if (right.type !== "Slice") return indexExpr;
    return { type: "Projection", left: indexExpr, right: this.projectionRhs(BINDING.Star) };
  }

  private dotRhs(rbp: number): Node {
    const next = this.peek();
    if (next === "UnquotedIdentifier" || next === "QuotedIdentifier" || next === "Star") return this.expression(rbp);
    if (next === "Lbracket") {
      this.match("Lbracket");
      return this.multiSelectList();
    }
    if (next === "Lbrace") {
      this.match("Lbrace");
      return this.multiSelectHash();
    }
    return this.fail(`unexpected ${next} after "."`);
  }

  private projectionRhs(rbp: number): Node {
    const next = this.peek();
    if (BINDING[next] < 10) return IDENTITY;
    if (next === "Lbracket" || next === "Filter") return this.expression(rbp);
    if (next === "Dot") {
      this.match("Dot");
      return this.dotRhs(rbp);
    }
    return this.fail(`unexpected ${next} in projection`);
  }

  private multiSelectList(): Node {
    const children: Node[] = [];
    while (this.peek() !== "Rbracket") {
      children.push(this.expression(0));
      if (this.peek() === "Comma") {
        this.match("Comma");
        if (this.peek() === "Rbracket") this.fail("unexpected ] after ,");
      }
    }
    this.match("Rbracket");
    return { type: "MultiSelectList", children };
  }

  private multiSelectHash(): Node {
    const pairs: { key: string; value: Node }[] = [];
    for (;;) {
      const keyToken = this.token();
      if (keyToken.type !== "UnquotedIdentifier" && keyToken.type !== "QuotedIdentifier") this.fail("expected a key in {}");
      this.advance();
      this.match("Colon");
      pairs.push({ key: keyToken.value as string, value: this.expression(0) });
      if (this.peek() === "Comma") {
        this.match("Comma");
        continue;
      }
      this.match("Rbrace");
      return { type: "MultiSelectHash", pairs };
    }
  }
}
