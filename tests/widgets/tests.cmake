opteq_add_test(tst_plotexport widgets/tst_plotexport.cpp opteq_widgets)
opteq_add_test(tst_lessons widgets/tst_lessons.cpp opteq_widgets)
