"""Prose extraction on inline samples (the Debian packages are not needed here)."""

from __future__ import annotations

import pytest

from bench import prose

HTML = """<html><head><title>标题</title></head><body>
<header><p>LibreOffice 7.4 帮助</p></header>
<p>一个文件的权限可能会导致非 root 用户无法使用或访问它
。虽然在这种情况下使用 root 帐户是一个快速的方法，但正确的方法是设置权限。</p>
<pre>$ sudo chmod 644 /etc/passwd</pre>
<p>在任意用户的 shell 提示符下输入“<code>su -l</code>”，这不会保存当前用户的环境设定。</p>
<div class="para">Debian 项目是一个由个人组成的团体，他们共同的目标是创建一个自由的操作系统。</div>
</body></html>"""

GROFF = r""".\" comment
.TH CHMOD 1 2022年9月 "GNU coreutils 9.1" 用户命令
.SH 名称
chmod \- 改变文件模式比特位
.SH 描述
本手册页记录了 GNU 版本的 \fBchmod\fP 程序，它根据给定的模式改变每个文件的模式比特位，
其模式字符串既可以是符号表示，也可以是一个八进制数字。
.TP
\fB\-v\fP, \fB\-\-verbose\fP
为处理的所有文件显示诊断信息，便于用户了解命令在每一步究竟做了什么事情。
.nf
chmod 644 文件。这里是代码，不应该出现在结果里面的内容。
.fi
.de XX
定义里的文字也不应该出现在结果里面，因为它是宏定义的内容。
..
"""


def test_html_extraction_keeps_prose_only() -> None:
    paragraphs = [prose.clean_paragraph(p) for p in prose.html_paragraphs(HTML)]
    kept = [p for p in paragraphs if prose.is_prose(p)]
    assert kept == [
        "一个文件的权限可能会导致非 root 用户无法使用或访问它。虽然在这种情况下使用 root 帐户是一个快速的方法，"
        "但正确的方法是设置权限。",
        "Debian 项目是一个由个人组成的团体，他们共同的目标是创建一个自由的操作系统。",
    ]


def test_groff_extraction_skips_code_and_macros() -> None:
    paragraphs = [prose.clean_paragraph(p) for p in prose.groff_paragraphs(GROFF)]
    kept = [p for p in paragraphs if prose.is_prose(p)]
    assert kept == [
        "本手册页记录了 GNU 版本的 chmod 程序，它根据给定的模式改变每个文件的模式比特位，"
        "其模式字符串既可以是符号表示，也可以是一个八进制数字。",
        "为处理的所有文件显示诊断信息，便于用户了解命令在每一步究竟做了什么事情。",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("这是一个普通的中文段落，用来检查过滤器是否能够接受正常的句子。", True),
    ("太短了。", False),
    ("这个段落没有以句号结尾，所以它不是一个完整的段落，应该被过滤掉", False),
    ("运行 apt-get install --no-install-recommends 可以安装需要的软件包。", False),
    ("配置文件位于 /etc/apt/sources.list 之中，你可以用编辑器修改它。", False),
    ("名字只能包含字母、数字和下划线. Name 不能以数字开头，否则会出错。", False),
    ("他说,这个功能已经可以使用了,但是还需要进一步的测试和验证。", False),
    ("引数)，为每一个参数执行一次命令，返回值是最后一个命令的返回值。", False),
    ("全区共筹集资金1.6亿元，帮扶困难职工16.89万人次，成效明显。", True),
])
def test_prose_filter(text: str, expected: bool) -> None:
    assert prose.is_prose(text) is expected


def test_unknown_script_is_rejected() -> None:
    with pytest.raises(ValueError, match="script must be one of"):
        prose.load_paragraphs("cyrillic")


def test_sources_are_declared_for_both_scripts() -> None:
    scripts = {s.script for s in prose.SOURCES}
    assert scripts == set(prose.SCRIPTS)
    assert len({s.name for s in prose.SOURCES}) == len(prose.SOURCES)
