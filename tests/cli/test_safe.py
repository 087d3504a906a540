from policydiff.cli.safe import printable


def test_escape_sequences_and_controls_are_removed():
    hostile = "标题\x1b]0;pwned\x07正文\x1b[31m红\x1b[0m\x07\x00\u202e尾"
    assert printable(hostile) == "标题正文红尾"


def test_newlines_become_spaces_unless_kept():
    assert printable("一\n二\t三") == "一 二 三"
    assert printable("一\n二", keep_newlines=True) == "一\n二"
