opteq_add_test(tst_mainwindow app/tst_mainwindow.cpp opteq_app)
opteq_add_test(tst_controller app/tst_controller.cpp opteq_app)
opteq_add_test(tst_export_cli app/tst_export_cli.cpp opteq_cli)
target_compile_definitions(tst_export_cli PRIVATE OPTEQ_CLI_PATH="$<TARGET_FILE:opteq>")
add_dependencies(tst_export_cli opteq)
opteq_add_test(tst_theory_views app/tst_theory_views.cpp opteq_app)
# The screenshot tour's layout checks, once per screen: the offscreen plugin gets a screen of
# that size from tests/data/screens/ (the same plugin the other GUI tests use).
opteq_add_test(tst_tour app/tst_tour.cpp opteq_app)
get_test_property(tst_tour ENVIRONMENT tour_env)
foreach(screen 1366x768 1920x1080)
  add_test(NAME tst_tour_${screen} COMMAND tst_tour)
  set(env ${tour_env})
  list(FILTER env EXCLUDE REGEX "^QT_QPA_PLATFORM=")
  list(APPEND env "QT_QPA_PLATFORM=offscreen:configfile=${CMAKE_CURRENT_SOURCE_DIR}/data/screens/${screen}.json")
  set_tests_properties(tst_tour_${screen} PROPERTIES ENVIRONMENT "${env}" TIMEOUT 1200 PROCESSORS ${OPTEQ_CORES})
endforeach()
set_tests_properties(tst_tour PROPERTIES DISABLED TRUE)   # the default offscreen screen is 800×600: not a size the window is made for
