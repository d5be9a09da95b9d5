print("meshc")
