#!/usr/bin/env python3
"""Function and crate sizes of a wasm module that has a name section.

Reads the code section (each function body's size) and the name
section's function names, demangles Rust's legacy names, and prints:
the sections; the bytes per crate (the first path segment of a name, or
of the type an impl is for), raw and gzip -9 of the group's bodies
compressed together; the data segments; the largest functions.

    python3 scripts/wasm-size-breakdown.py MODULE.wasm [--top N] [--grep TEXT]

--grep keeps the functions whose demangled name contains TEXT (for a
look at one part: "errseq_scenario", "fmt", "BTreeMap").
"""
import argparse
import re
import sys
import zlib
from collections import defaultdict

SECTIONS = {0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
            6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data",
            12: "datacount"}


def leb(buf, pos):
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def name_at(buf, pos):
    length, pos = leb(buf, pos)
    return buf[pos:pos + length].decode("utf-8", "replace"), pos + length


def sections(buf):
    if buf[:4] != b"\0asm":
        sys.exit("not a wasm module")
    pos = 8
    while pos < len(buf):
        sid = buf[pos]
        size, body = leb(buf, pos + 1)
        yield sid, buf[body:body + size]
        pos = body + size


def imported_functions(body):
    count, pos = leb(body, 0)
    functions = 0
    for _ in range(count):
        _, pos = name_at(body, pos)
        _, pos = name_at(body, pos)
        kind = body[pos]
        pos += 1
        if kind == 0:
            _, pos = leb(body, pos)
            functions += 1
        elif kind == 1:  # table: reftype, limits
            pos += 1
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 2:  # memory: limits
            flags, pos = leb(body, pos)
            _, pos = leb(body, pos)
            if flags & 1:
                _, pos = leb(body, pos)
        elif kind == 3:  # global: valtype, mutability
            pos += 2
        else:
            sys.exit(f"unknown import kind {kind}")
    return functions


def bodies(body):
    count, pos = leb(body, 0)
    out = []
    for _ in range(count):
        size, start = leb(body, pos)
        out.append(body[start:start + size])
        pos = start + size
    return out


def function_names(body):
    pos = 0
    names = {}
    while pos < len(body):
        kind = body[pos]
        size, start = leb(body, pos + 1)
        if kind == 1:
            count, p = leb(body, start)
            for _ in range(count):
                index, p = leb(body, p)
                names[index], p = name_at(body, p)
        pos = start + size
    return names


ESCAPES = {"$LT$": "<", "$GT$": ">", "$RF$": "&", "$BP$": "*", "$C$": ",", "$SP$": "@",
           "$u20$": " ", "$u27$": "'", "$u5b$": "[", "$u5d$": "]", "$u7b$": "{", "$u7d$": "}",
           "$u7e$": "~", "$u3b$": ";", "$u2b$": "+", "$u22$": '"', "$u21$": "!", "$u3d$": "="}


def demangle(name):
    """Rust's legacy mangling (_ZN...E) back to a path; other names as they are."""
    if not name.startswith("_ZN"):
        return name
    pos, parts = 3, []
    while pos < len(name) and name[pos].isdigit():
        digits = re.match(r"\d+", name[pos:]).group()
        pos += len(digits)
        parts.append(name[pos:pos + int(digits)])
        pos += int(digits)
    if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    text = "::".join(parts)
    for code, char in ESCAPES.items():
        text = text.replace(code, char)
    return text.replace("..", "::").replace("_$", "$").lstrip("_")


def crate_of(name):
    """The crate a function is counted under: the path's first segment, or
    for `<T as Trait>::f` the crate of T."""
    text = name.lstrip("<&* ")
    text = re.sub(r"^(mut |dyn |const )+", "", text)
    match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", text)
    if not match:
        return "(other)"
    head = match.group()
    if head in ("alloc", "core", "std"):
        # Generic code instantiated for a type of ours: say so.
        inner = re.search(r"<[&*\s(]*(?:mut\s+)?((?:errseq|yew|serde|postcard|gloo|web_sys|js_sys|wasm_bindgen)[a-z_]*)", name)
        if inner:
            return f"{head}<{inner.group(1)}>"
    if not re.match(r"[a-z]", head):
        return "(unnamed)"
    return head


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("module")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--grep")
    args = parser.parse_args()
    buf = open(args.module, "rb").read()
    imports, code, names, data = 0, [], {}, []
    print(f"{'section':<24} {'bytes':>9} {'gzip':>8}")
    for sid, body in sections(buf):
        label = SECTIONS.get(sid, str(sid))
        if sid == 0:
            custom, _ = name_at(body, 0)
            label = f"custom {custom}"
            if custom == "name":
                _, start = name_at(body, 0)
                names = function_names(body[start:])
        print(f"{label:<24} {len(body):>9} {len(zlib.compress(body, 9)):>8}")
        if sid == 2:
            imports = imported_functions(body)
        elif sid == 10:
            code = bodies(body)
        elif sid == 11:
            data.append(body)
    functions = [(len(b), demangle(names.get(imports + i, f"func{imports + i}")), b)
                 for i, b in enumerate(code)]
    if args.grep:
        functions = [f for f in functions if args.grep in f[1]]
    groups = defaultdict(list)
    for size, name, body in functions:
        groups[crate_of(name)].append(body)
    total = sum(size for size, _, _ in functions)
    print(f"\n{'crate':<40} {'functions':>9} {'bytes':>9} {'gzip':>8}")
    for crate, group in sorted(groups.items(), key=lambda kv: -sum(map(len, kv[1]))):
        raw = sum(map(len, group))
        print(f"{crate:<40} {len(group):>9} {raw:>9} {len(zlib.compress(b''.join(group), 9)):>8}")
    print(f"{'all':<40} {len(functions):>9} {total:>9}")
    print(f"\n{'bytes':>7}  largest functions")
    for size, name, _ in sorted(functions, key=lambda f: -f[0])[:args.top]:
        print(f"{size:>7}  {name[:200]}")


if __name__ == "__main__":
    main()
