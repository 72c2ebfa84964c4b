"""Words from data: escaping for each output format (`escape`), dates at their precision
(`dates`), numbers, amounts and source lines (`formatting`) and the template engine that writes
footnoted prose from the dataset (`narrative`)."""
