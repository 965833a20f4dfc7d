# core/store: the journal. tst_journal_kill re-runs itself as the writer that it SIGKILLs.
mm_add_test(tst_journal LABEL unit SOURCES core/store/tst_journal.cpp LIBRARIES core)
mm_add_test(tst_journal_kill LABEL integration SOURCES core/store/tst_journal_kill.cpp LIBRARIES core)
set_tests_properties(tst_journal_kill PROPERTIES TIMEOUT 60)
