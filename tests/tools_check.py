#!/usr/bin/env python3
"""tools_check.py TOOLS FILE...: the commands the shell scripts FILE... call that are
neither in TOOLS (tests/tools.txt) nor in the base system nor shell builtins nor
functions the scripts define.  Prints FILE:LINE: COMMAND for each; exit 1 when any.

A reading of the scripts, not a run: words in command position (line start, after ; & |
( { $( ` and the keywords) outside quotes and here-documents, with assignments and
redirections skipped; case patterns, arithmetic and [[ ]] are not commands.  A command
named through a variable ("$RT") or a path (./x, /bin/x) is not looked up."""
import re
import sys

# Commands every Debian bookworm machine that builds ragtrack has: the Essential and
# required packages of a minimal root (coreutils, dash, bash, diffutils, findutils,
# grep, sed, mawk, tar, gzip, util-linux, ncurses-bin, perl-base, libc-bin) and
# build-essential and git.
BASE = set("""
[ awk base64 basename bash cat chmod chown cksum cmp comm cp cut date dd df diff
dirname du echo env expand expr false find fold getent grep gzip head hostname iconv id
install join kill ln locale ls md5sum mkdir mkfifo mktemp mv nice nl nohup od paste perl
printf readlink realpath rm rmdir sed seq sh sha1sum sha256sum shuf sleep sort split stat
stty sync tac tail tar tee test timeout touch tput tr true truncate tty uname uniq unshare wc
which xargs yes
cc gcc make git ar ld
""".split())
BUILTINS = set("""
. : alias bg break builtin caller cd command compgen complete continue coproc declare
dirs disown echo enable eval exec exit export fc fg getopts hash help history jobs kill
let local logout mapfile popd printf pushd pwd read readarray readonly return set shift
shopt source suspend test times trap type typeset ulimit umask unalias unset wait
""".split())
KEYWORDS = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!",
            "time", "{", "}", "function", "in", "esac"}
# Commands whose first argument (after options and assignments) is a command
WRAPPERS = {"env", "exec", "nice", "nohup", "command", "time", "xargs", "timeout"}
SKIP_SEGMENT = {"for", "select", "case", "[[", "local", "export", "declare", "readonly",
                "typeset", "unset", "trap", "[", "test", "type", "hash", "alias", "let"}


def strip_heredocs(lines):
    """Blank the bodies of here-documents (they hold Python, SQL, expected text)."""
    out, end = [], None
    for line in lines:
        if end is not None:
            out.append("")
            if (line.lstrip("\t") if end[1] else line) == end[0]:
                end = None
            continue
        out.append(line)
        m = re.search(r"<<(-?)\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\2", line)
        if m and "<<<" not in line[max(0, m.start() - 1):m.start() + 3]:
            end = (m.group(3), m.group(1) == "-")
    return out


def scan(text):
    """Yield (line, word) for each word in command position."""
    segs = []          # (line, text of the segment, what ended it)
    stack = ["top"]    # top | dq (in double quotes) | cmd ($( inside something)
    cur, line, i, n = [], 1, 0, len(text)
    depth = [0]        # open ( per level, to tell case patterns from subshells

    first = [1]        # the line the current segment starts on

    def cut(why):
        segs.append((first[0], "".join(cur), why))
        cur.clear()
        first[0] = line

    while i < n:
        c = text[i]
        st = stack[-1]
        if not "".join(cur).strip():
            first[0] = line
        if c == "\n":
            line += 1
        if st == "dq":
            if c == "\\":
                i += 2
                continue
            if text.startswith("$((", i):
                i = skip_arith(text, i + 1)
                continue
            if text.startswith("$(", i):
                stack.append("cmd")
                depth.append(0)
                cut("$(")
                i += 2
                continue
            if c == "`":
                stack.append("bq")
                cut("`")
            elif c == '"':
                stack.pop()
                cur.append("Q")
            i += 1
            continue
        # top, cmd or bq: shell text
        if c == "\\":
            if i + 1 < n and text[i + 1] == "\n":
                line += 1
                cur.append(" ")
            else:
                cur.append("x")
            i += 2
            continue
        if c == "'":
            j = text.find("'", i + 1)
            j = n if j < 0 else j
            line += text.count("\n", i, j)
            cur.append("Q")
            i = j + 1
            continue
        if c == '"':
            stack.append("dq")
            i += 1
            continue
        if c == "#" and (not cur or cur[-1] in " \t"):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("$((", i) or text.startswith("((", i):
            i = skip_arith(text, i + (1 if text[i] == "$" else 0))
            cur.append("0")
            continue
        if text.startswith("$(", i):
            stack.append("cmd")
            depth.append(0)
            cut("$(")
            i += 2
            continue
        if text.startswith("${", i):
            j = match_brace(text, i + 1)
            cur.append("V")
            i = j + 1
            continue
        if c == "`":
            if st == "bq":
                stack.pop()
                cut("`")
            else:
                stack.append("bq")
                cut("`")
            i += 1
            continue
        if c == "(" and re.search(r"(^|\s)[A-Za-z_][A-Za-z0-9_]*\+?=$", "".join(cur)):
            j, d = i, 0            # an array: NAME=( words ), no commands in it
            while j < n:
                if text[j] in "'\"":
                    q = text.find(text[j], j + 1)
                    j = n if q < 0 else q
                elif text[j] == "(":
                    d += 1
                elif text[j] == ")":
                    d -= 1
                    if d == 0:
                        break
                j += 1
            line += text.count("\n", i, j)
            cur.append("A")
            i = j + 1
            continue
        if c == "(":
            depth[-1] += 1
            cut("(")
        elif c == ")":
            if depth[-1] == 0 and st == "cmd":
                stack.pop()
                depth.pop()
                cut("$)")
            elif depth[-1] == 0:
                cut("pattern")     # a case pattern ends here, with its alternatives a|b)
                k = len(segs) - 2
                while k >= 0 and segs[k][2] == "|":
                    segs[k] = (segs[k][0], segs[k][1], "pattern")
                    k -= 1
            else:
                depth[-1] -= 1
                cut(")")
        elif c == "&" and (cur and cur[-1] in "<>" or text.startswith("&>", i)):
            cur.append(c)          # a redirection: 2>&1, &>file
        elif c == "|" and cur and cur[-1] == ">":
            cur.append(c)          # >|
        elif c in ";&|\n{}":
            if c in "{}" and "".join(cur).strip():
                cur.append(c)      # part of a word: ${x}, a{b,c}
            else:
                cut(c)
        else:
            cur.append(c)
        i += 1
    cut("end")
    for ln, seg, why in segs:
        if why == "pattern":
            continue
        words = seg.split()
        yield from command_of(ln, words)


def skip_arith(text, i):
    """i at the first ( of ((: the index after the matching ))."""
    d = 0
    while i < len(text):
        if text[i] == "(":
            d += 1
        elif text[i] == ")":
            d -= 1
            if d == 0:
                return i + 1
        i += 1
    return i


def match_brace(text, i):
    d = 0
    while i < len(text):
        if text[i] == "{":
            d += 1
        elif text[i] == "}":
            d -= 1
            if d == 0:
                return i
        i += 1
    return i


def command_of(ln, words):
    k = 0
    while k < len(words):
        w = words[k]
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=", w) or re.match(r"^[0-9]*[<>]", w):
            if re.match(r"^[0-9]*[<>]&?$", w):
                k += 1     # the redirection's target is the next word
            k += 1
            continue
        if w in KEYWORDS:
            k += 1
            continue
        if w in SKIP_SEGMENT or w == "coproc":
            return
        if w in WRAPPERS:
            k += 1
            while k < len(words) and (words[k].startswith("-") or "=" in words[k] or
                                      re.match(r"^[0-9.]+[smhd]?$", words[k])):
                if words[k] in ("-u", "-C", "-n", "-s", "-k", "--signal", "--kill-after") and w != "command":
                    k += 1
                if w == "command" and words[k] == "-v":
                    return
                k += 1
            continue
        yield ln, w
        return


def main():
    tools = set()
    for line in open(sys.argv[1]):
        line = line.split("#", 1)[0].split()
        if line:
            tools.add(line[0])
    files = sys.argv[2:]
    texts = {f: "\n".join(strip_heredocs(open(f).read().split("\n"))) for f in files}
    defined = set()
    for t in texts.values():
        defined.update(re.findall(r"(?m)^\s*(?:function\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*\(\)", t))
    bad = 0
    for f, t in texts.items():
        for ln, w in scan(t):
            if w in BASE or w in BUILTINS or w in tools or w in defined or w in KEYWORDS:
                continue
            if w[0] in "$Q\"'V0/." or "/" in w or w.startswith("~") or not re.match(r"^[A-Za-z0-9_.+-]+$", w):
                continue
            print(f"{f}:{ln}: {w}: not in tests/tools.txt nor the base system")
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
