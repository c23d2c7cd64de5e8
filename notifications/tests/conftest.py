from notifications.registry import register

TEST_KIND = "test_note"
register(TEST_KIND, label="Test note", template="Note {number} from {actor}.")
