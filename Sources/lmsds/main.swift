print("lmsds")
