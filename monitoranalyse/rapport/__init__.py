"""rapport"""
