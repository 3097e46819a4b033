module github.com/connlab/connlab

go 1.26.8
