"""When two names are the same to a reader: capitals, Unicode's forms, and look-alike
characters (Unicode TS #39 skeletons)."""

from __future__ import annotations

from apportion.model.names import ASCII_PROTOTYPES, NameRegister, confusion, prototypes, skeleton


def test_the_ascii_table_is_the_ascii_part_of_unicodes_data():
    assert ASCII_PROTOTYPES == {char: proto for char, proto in prototypes().items() if char.isascii()}


def test_a_cyrillic_letter_that_looks_latin_makes_the_same_skeleton():
    # U+041A CYRILLIC CAPITAL LETTER KA is listed in Unicode's confusables as LATIN CAPITAL K
    assert skeleton("\u041aent") == skeleton("Kent") == "Kent"
    assert skeleton("Kent") != skeleton("Kant")


def test_digits_and_letters_that_look_alike():
    # 1 -> l, I -> l, 0 -> O and m -> rn, as TS #39's table has them
    assert skeleton("Unit 1") == skeleton("Unit l") == skeleton("Unit I")
    assert skeleton("R0CU") == skeleton("ROCU")
    assert skeleton("Farm") == skeleton("Farrn")


def test_how_a_name_could_be_taken_for_another():
    assert confusion("kent", "Kent") == "it differs only in capitals"
    assert confusion("\uff2bent", "Kent") == "it is the same characters in another of Unicode's forms (NFKC)"
    assert confusion("\u041aent", "Kent") == "it looks the same, written with U+041A CYRILLIC CAPITAL LETTER KA"
    assert confusion("Kent", "Essex") is None
    assert confusion("Kent", "Kent") is None


def test_the_register_names_the_first_of_two_names_that_could_be_confused():
    register = NameRegister()
    assert register.clash("Kent") is None
    assert register.clash("Essex") is None
    assert register.clash("\u041aent") == ("Kent", "it looks the same, written with U+041A CYRILLIC CAPITAL LETTER KA")
    assert register.clash("ESSEX") == ("Essex", "it differs only in capitals")
    assert register.clash("Surrey") is None
